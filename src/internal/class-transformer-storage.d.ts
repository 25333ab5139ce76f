// class-transformer ships no typings for its storage entry; this is the part Lokstra reads.
declare module 'class-transformer/cjs/storage' {
  type Metadatas = Map<object, unknown>;
  export const defaultMetadataStorage: {
    findTypeMetadata(target: object, propertyName: string): { typeFunction: () => unknown; options?: { discriminator?: unknown } } | undefined;
    getStrategy(target: object): string;
    readonly _typeMetadatas: Metadatas;
    readonly _transformMetadatas: Metadatas;
    readonly _exposeMetadatas: Metadatas;
    readonly _excludeMetadatas: Metadatas;
  };
}
