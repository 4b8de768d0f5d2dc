// The order form: a manager edits the header and the items grid and saves, posts or cancels the
// posting, with the server's validation messages next to the fields they concern; a courier gets
// the read-only view of their own order (another courier's order is "not found").
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { Order, OrderStatus } from '../api/types.js';
import { orderStatuses } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { formatDate, formatMoney, useI18n } from '../i18n/i18n.js';
import { canEditOrders, useSession } from '../app/session-context.js';
import { navigate } from '../app/router.js';
import { useCatalog } from '../components/use-catalog.js';
import { controlProps, Field, FieldError, invalidProps } from '../components/field.js';
import { notify } from '../components/toasts.js';
import { OrderView } from './order-view.js';
import { draftOf, emptyDraft, emptyLine, inputOf, lineAmount } from './order-draft.js';
import type { DraftLine, OrderDraft } from './order-draft.js';

export function OrderForm({ id }: { id: string | null }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (id === null) return;
    let live = true;
    api.order(id).then(
      (o) => {
        if (!live) return;
        setOrder(o);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof ApiError && e.code === 'NOT_FOUND' ? t('orderNotFound') : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [id, reload]);

  // A new notification about this very order (posted again, reassigned): show its latest state.
  useEffect(() => {
    const onNotified = (event: Event) => {
      if ((event as CustomEvent<string>).detail === id) setReload((n) => n + 1);
    };
    window.addEventListener('vestnik:order-notified', onNotified);
    return () => window.removeEventListener('vestnik:order-notified', onNotified);
  }, [id]);

  if (error) {
    return (
      <p class="error" role="alert" data-testid="order-error">
        {error}
      </p>
    );
  }
  if (id !== null && !order) return <p role="status">{t('loading')}</p>;
  if (!canEditOrders(user)) return order ? <OrderView order={order} /> : null;
  return <OrderEditor key={order?.updatedAt ?? 'new'} order={order} onSaved={setOrder} />;
}

type Action = 'save' | 'post' | 'unpost';

function OrderEditor({ order, onSaved }: { order: Order | null; onSaved: (order: Order) => void }) {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<OrderDraft>(order ? draftOf(order) : emptyDraft());
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const customers = useCatalog('customers');
  const warehouses = useCatalog('warehouses');
  const couriers = useCatalog('couriers');
  const products = useCatalog('products');
  const colors = useCatalog('colors');
  const sizes = useCatalog('sizes');

  const set = <K extends keyof OrderDraft>(key: K, value: OrderDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const setLine = (key: number, change: Partial<DraftLine>) =>
    setDraft((d) => ({ ...d, lines: d.lines.map((l) => (l.key === key ? { ...l, ...change } : l)) }));
  const priceOf = (productId: string) => products.find((p) => p.id === productId)?.price;
  const total = draft.lines.reduce((sum, line) => sum + lineAmount(line, priceOf(line.productId)), 0);

  const run = async (action: Action) => {
    setBusy(true);
    setProblems(new Map());
    setGeneral([]);
    const input = inputOf(draft);
    // The server numbers the lines it was sent; map them back to the rows of the grid.
    const sentKeys = draft.lines.filter((l) => l.productId).map((l) => l.key);
    try {
      let saved: Order;
      if (action === 'unpost') saved = await api.unpostOrder(order!.id);
      else if (!order) {
        saved = await api.createOrder(input);
        if (action === 'post') saved = await api.postOrder(saved.id, {});
      } else if (action === 'post') saved = await api.postOrder(order.id, input);
      else saved = await api.saveOrder(order.id, input);
      notify(t(action === 'save' ? 'saved' : action === 'post' ? 'postedOk' : 'unpostedOk'));
      if (!order) navigate(`/orders/${saved.id}`);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length > 0) {
        const byField = new Map<string, string>();
        const rest: string[] = [];
        for (const problem of e.problems) {
          const path = problem.path.replace(/^\//, '').replaceAll('/', '.');
          const line = /^items\.(\d+)\.(\w+)$/.exec(path);
          const field = line ? `line-${sentKeys[Number(line[1])] ?? 'x'}-${line[2]}` : path;
          if (byField.has(field)) rest.push(problem.message);
          else byField.set(field, problem.message);
        }
        setProblems(byField);
        setGeneral([e.message, ...rest]);
      } else {
        setGeneral([e instanceof ApiError ? e.message : String(e)]);
      }
    } finally {
      setBusy(false);
    }
  };

  const known = new Set([
    'customerId',
    'address',
    'warehouseId',
    'courierId',
    'status',
    'comment',
    'items',
    ...draft.lines.flatMap((l) =>
      ['productId', 'colorId', 'sizeId', 'quantity', 'price'].map((f) => `line-${l.key}-${f}`),
    ),
  ]);
  const unplaced = [...problems.entries()]
    .filter(([field]) => !known.has(field))
    .map(([, message]) => message);
  const err = (field: string) => problems.get(field);

  const select = (
    field: 'customerId' | 'warehouseId' | 'courierId',
    label: string,
    items: Array<{ id: string; name: string }>,
  ) => (
    <Field label={label} error={err(field)} controlId={`order-${field}`}>
      <select
        name={field}
        value={draft[field]}
        onChange={(e) => {
          const value = e.currentTarget.value;
          set(field, value);
          if (field === 'customerId' && !draft.address) {
            const address = customers.find((c) => c.id === value)?.address;
            if (typeof address === 'string') set('address', address);
          }
        }}
        {...controlProps(`order-${field}`, err(field))}
      >
        <option value="">{t('notChosen')}</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <form
      class="order-form"
      aria-labelledby="order-title"
      data-testid="order-form"
      data-order-id={order?.id ?? ''}
      onSubmit={(e) => {
        e.preventDefault();
        void run('save');
      }}
    >
      <div class="page-head">
        <h1 id="order-title">{order ? t('orderTitle', { number: order.number }) : t('newOrderTitle')}</h1>
        {order && (
          <span class={order.posted ? 'mark posted' : 'mark'} data-testid="posted-mark">
            {order.posted ? t('postedMark') : t('notPostedMark')}
          </span>
        )}
        {order && <span class="muted">{formatDate(language, order.date)}</span>}
      </div>
      {general.length > 0 && (
        <div class="error" role="alert" data-testid="form-errors">
          {general.map((message, i) => (
            <p key={i}>{message}</p>
          ))}
          {unplaced.map((message, i) => (
            <p key={`u${i}`}>{message}</p>
          ))}
        </div>
      )}
      <fieldset class="header-fields" disabled={busy}>
        {select('customerId', t('customer'), customers)}
        <Field label={t('address')} error={err('address')} controlId="order-address">
          <input
            name="address"
            value={draft.address}
            onInput={(e) => set('address', e.currentTarget.value)}
            {...controlProps('order-address', err('address'))}
          />
        </Field>
        {select('warehouseId', t('warehouse'), warehouses)}
        {select('courierId', t('courier'), couriers)}
        <Field label={t('status')} error={err('status')} controlId="order-status">
          <select
            name="status"
            value={draft.status}
            onChange={(e) => set('status', e.currentTarget.value as OrderStatus)}
            {...controlProps('order-status', err('status'))}
          >
            {orderStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`status_${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('comment')} error={err('comment')} controlId="order-comment">
          <input
            name="comment"
            value={draft.comment}
            onInput={(e) => set('comment', e.currentTarget.value)}
          />
        </Field>
      </fieldset>

      <fieldset class="items" disabled={busy}>
        <legend>{t('items')}</legend>
        <FieldError id="order-items-error" message={err('items')} />
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t('line')}</th>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('color')}</th>
              <th scope="col">{t('size')}</th>
              <th scope="col">{t('quantity')}</th>
              <th scope="col">{t('price')}</th>
              <th scope="col" class="num">
                {t('amount')}
              </th>
              <th scope="col">
                <span class="sr-only">{t('removeLine', { n: '' })}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.lines.map((line, index) => {
              const n = index + 1;
              const cell = (
                field: string,
                label: string,
                control: (props: Record<string, unknown>) => JSX.Element,
              ) => {
                const id = `err-line-${line.key}-${field}`;
                const message = err(`line-${line.key}-${field}`);
                return (
                  <td class={message ? 'invalid' : undefined}>
                    {control({ 'aria-label': `${label}, ${t('line')} ${n}`, ...invalidProps(message, id) })}
                    <FieldError id={id} message={message} />
                  </td>
                );
              };
              const options = (items: Array<{ id: string; name: string }>) => [
                <option key="" value="">
                  {t('notChosen')}
                </option>,
                ...items.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                )),
              ];
              return (
                <tr key={line.key} data-testid={`line-${n}`}>
                  <td>{n}</td>
                  {cell('productId', t('product'), (p) => (
                    <select
                      {...p}
                      value={line.productId}
                      onChange={(e) => setLine(line.key, { productId: e.currentTarget.value })}
                    >
                      {options(products)}
                    </select>
                  ))}
                  {cell('colorId', t('color'), (p) => (
                    <select
                      {...p}
                      value={line.colorId}
                      onChange={(e) => setLine(line.key, { colorId: e.currentTarget.value })}
                    >
                      {options(colors)}
                    </select>
                  ))}
                  {cell('sizeId', t('size'), (p) => (
                    <select
                      {...p}
                      value={line.sizeId}
                      onChange={(e) => setLine(line.key, { sizeId: e.currentTarget.value })}
                    >
                      {options(sizes)}
                    </select>
                  ))}
                  {cell('quantity', t('quantity'), (p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      size={5}
                      value={line.quantity}
                      onInput={(e) => setLine(line.key, { quantity: e.currentTarget.value })}
                    />
                  ))}
                  {cell('price', t('price'), (p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      size={8}
                      placeholder={String(priceOf(line.productId) ?? '')}
                      value={line.price}
                      onInput={(e) => setLine(line.key, { price: e.currentTarget.value })}
                    />
                  ))}
                  <td class="num">{formatMoney(language, lineAmount(line, priceOf(line.productId)))}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={t('removeLine', { n })}
                      onClick={() =>
                        setDraft((d) => ({ ...d, lines: d.lines.filter((l) => l.key !== line.key) }))
                      }
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={6}>
                {t('total')}
              </th>
              <td class="num" data-testid="order-total">
                {formatMoney(language, total)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
        <button type="button" onClick={() => setDraft((d) => ({ ...d, lines: [...d.lines, emptyLine()] }))}>
          {t('addLine')}
        </button>
      </fieldset>

      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" disabled={busy} onClick={() => void run('post')}>
          {t('post')}
        </button>
        {order?.posted && (
          <button type="button" disabled={busy} onClick={() => void run('unpost')}>
            {t('unpost')}
          </button>
        )}
        <button type="button" onClick={() => navigate('/orders')}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}
