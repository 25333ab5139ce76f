/** The spellings of a generated artefact's name: `order-items` → `OrderItems`, `orderItems`, `order-items`. */
export interface Names {
  kebab: string;
  pascal: string;
  camel: string;
}

/** Splits `OrderItems`, `order_items`, `order-items` or `order items` into its spellings; null when nothing is left. */
export function names(input: string): Names | null {
  const words = input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (words.length === 0 || !/^[a-z]/.test(words[0] as string)) return null;
  const pascal = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  return { kebab: words.join('-'), pascal, camel: pascal[0]?.toLowerCase() + pascal.slice(1) };
}
