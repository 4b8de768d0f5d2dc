// The read-only order form, as a courier sees it: the header and the items, nothing to change.
import type { Order } from '../api/types.js';
import { formatDate, formatMoney, useI18n } from '../i18n/i18n.js';

export function OrderView({ order }: { order: Order }) {
  const { t, language } = useI18n();
  return (
    <article
      class="order-view"
      aria-labelledby="order-title"
      data-testid="order-form"
      data-order-id={order.id}
    >
      <div class="page-head">
        <h1 id="order-title">{t('orderTitle', { number: order.number })}</h1>
        <span class={order.posted ? 'mark posted' : 'mark'}>
          {order.posted ? t('postedMark') : t('notPostedMark')}
        </span>
        <span class="mark">{t('readOnly')}</span>
      </div>
      <dl class="header-fields">
        <dt>{t('date')}</dt>
        <dd>{formatDate(language, order.date)}</dd>
        <dt>{t('customer')}</dt>
        <dd>{order.customer?.name ?? ''}</dd>
        <dt>{t('address')}</dt>
        <dd>{order.address}</dd>
        <dt>{t('warehouse')}</dt>
        <dd>{order.warehouse?.name ?? ''}</dd>
        <dt>{t('courier')}</dt>
        <dd>{order.courier?.name ?? ''}</dd>
        <dt>{t('status')}</dt>
        <dd>{t(`status_${order.status}`)}</dd>
        {order.comment && (
          <>
            <dt>{t('comment')}</dt>
            <dd>{order.comment}</dd>
          </>
        )}
      </dl>
      <table class="grid" aria-label={t('items')}>
        <thead>
          <tr>
            <th scope="col">{t('line')}</th>
            <th scope="col">{t('product')}</th>
            <th scope="col">{t('color')}</th>
            <th scope="col">{t('size')}</th>
            <th scope="col" class="num">
              {t('quantity')}
            </th>
            <th scope="col" class="num">
              {t('price')}
            </th>
            <th scope="col" class="num">
              {t('amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.lineNo}>
              <td>{item.lineNo}</td>
              <td>{item.product.name}</td>
              <td>{item.color?.name ?? ''}</td>
              <td>{item.size?.name ?? ''}</td>
              <td class="num">{item.quantity}</td>
              <td class="num">{formatMoney(language, item.price)}</td>
              <td class="num">{formatMoney(language, item.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={6}>
              {t('total')}
            </th>
            <td class="num" data-testid="order-total">
              {formatMoney(language, order.total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </article>
  );
}
