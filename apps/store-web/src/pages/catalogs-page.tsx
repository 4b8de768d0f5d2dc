// The catalogs (couriers, products, colors, sizes, warehouses, customers): a searchable list and
// a form to add or change an item, with the server's messages next to the fields.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { CatalogItem, CatalogItemInput, CatalogName } from '../api/types.js';
import { catalogNames } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { formatMoney, useI18n } from '../i18n/i18n.js';
import { controlProps, Field } from '../components/field.js';
import { notify } from '../components/toasts.js';

type FieldName = 'code' | 'name' | 'phone' | 'address' | 'price';

const fieldsOf: Record<CatalogName, FieldName[]> = {
  couriers: ['code', 'name', 'phone'],
  products: ['code', 'name', 'price'],
  colors: ['code', 'name'],
  sizes: ['code', 'name'],
  warehouses: ['code', 'name', 'address'],
  customers: ['code', 'name', 'phone', 'address'],
};

export function CatalogsPage({ catalog }: { catalog: CatalogName }) {
  const { t, language } = useI18n();
  const fields = fieldsOf[catalog];
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<CatalogItem[] | null>(null);
  const [editing, setEditing] = useState<CatalogItem | 'new' | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.catalog(catalog, { search, limit: 200 }).then(
        (page) => live && setItems(page.items),
        (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [catalog, search, reload]);

  const startEdit = (item: CatalogItem | 'new') => {
    setEditing(item);
    setProblems(new Map());
    setError(null);
    setValues(Object.fromEntries(fields.map((f) => [f, item === 'new' ? '' : String(item[f] ?? '')])));
  };

  const save = async (event: Event) => {
    event.preventDefault();
    // Only the fields of this catalog: the server refuses any other.
    const text = (f: FieldName) => values[f] ?? '';
    const body: CatalogItemInput = { code: text('code'), name: text('name') };
    if (fields.includes('price')) body.price = Number(text('price').replace(',', '.'));
    if (fields.includes('phone')) body.phone = text('phone');
    if (fields.includes('address')) body.address = text('address');
    try {
      if (editing === 'new') await api.createCatalogItem(catalog, body);
      else if (editing) await api.updateCatalogItem(catalog, editing.id, body);
      notify(t('saved'));
      setEditing(null);
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError) {
        const map = new Map(e.problems.map((p) => [p.path.replace(/^\//, ''), p.message]));
        const field = (e.details as { field?: unknown } | undefined)?.field;
        if (e.code === 'DUPLICATE_KEY' && typeof field === 'string') map.set(field, e.message);
        setProblems(map);
        setError(e.message);
      } else setError(String(e));
    }
  };

  const label = (f: FieldName): string => t(f);

  return (
    <section aria-labelledby="catalog-title">
      <nav class="tabs" aria-label={t('navCatalogs')}>
        {catalogNames.map((name) => (
          <a key={name} href={`#/catalogs/${name}`} aria-current={name === catalog ? 'page' : undefined}>
            {t(`catalog_${name}`)}
          </a>
        ))}
      </nav>
      <div class="page-head">
        <h1 id="catalog-title">{t(`catalog_${catalog}`)}</h1>
        <button type="button" onClick={() => startEdit('new')}>
          {t('add')}
        </button>
      </div>
      {editing && (
        <form
          class="card catalog-form"
          onSubmit={(event) => void save(event)}
          aria-label={editing === 'new' ? t('add') : t('edit')}
        >
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {fields.map((f) => (
            <Field key={f} label={label(f)} error={problems.get(f)} controlId={`catalog-${f}`}>
              <input
                name={f}
                inputMode={f === 'price' ? 'decimal' : undefined}
                value={values[f] ?? ''}
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  setValues((v) => ({ ...v, [f]: value }));
                }}
                {...controlProps(`catalog-${f}`, problems.get(f))}
              />
            </Field>
          ))}
          <div class="actions">
            <button type="submit">{t('save')}</button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
      <div class="filters" role="search">
        <label>
          {t('search')}
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
      </div>
      {items === null ? (
        <p role="status">{t('loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('nothingFound')}</p>
      ) : (
        <table class="grid" aria-labelledby="catalog-title">
          <thead>
            <tr>
              {fields.map((f) => (
                <th key={f} scope="col" class={f === 'price' ? 'num' : undefined}>
                  {label(f)}
                </th>
              ))}
              <th scope="col">
                <span class="sr-only">{t('edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                {fields.map((f) => (
                  <td key={f} class={f === 'price' ? 'num' : undefined}>
                    {f === 'price' ? formatMoney(language, Number(item[f])) : String(item[f] ?? '')}
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    onClick={() => startEdit(item)}
                    aria-label={`${t('edit')}: ${item.name}`}
                  >
                    {t('edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
