// Loads a catalog's items (up to 200, sorted by name) for a select or a list.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { CatalogItem, CatalogName } from '../api/types.js';

export function useCatalog(catalog: CatalogName, enabled = true): CatalogItem[] {
  const [items, setItems] = useState<CatalogItem[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api.catalog(catalog, { limit: 200 }).then(
      (page) => live && setItems(page.items),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [catalog, enabled]);
  return items;
}
