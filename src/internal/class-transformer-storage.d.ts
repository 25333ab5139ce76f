// class-transformer ships no typings for its storage entry; this is the part Lokstra reads.
declare module 'class-transformer/cjs/storage' {
  export const defaultMetadataStorage: {
    findTypeMetadata(target: object, propertyName: string): { typeFunction: () => unknown } | undefined;
  };
}
