// The ProductStock balances report: the resource Ordered by the dimensions chosen, at a moment.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/store-api.js';
import type { StockDimension, StockReport } from '../api/types.js';
import { stockDimensions } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { formatDate, useI18n } from '../i18n/i18n.js';

export function StockReportPage() {
  const { t, language } = useI18n();
  const [groupBy, setGroupBy] = useState<StockDimension[]>([...stockDimensions]);
  const [report, setReport] = useState<StockReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (groupBy.length === 0) return;
    let live = true;
    api.stockBalances({ groupBy: groupBy.join(',') }).then(
      (r) => {
        if (!live) return;
        setReport(r);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [groupBy, reload]);

  const toggle = (d: StockDimension) =>
    setGroupBy((g) =>
      g.includes(d) ? g.filter((x) => x !== d) : stockDimensions.filter((x) => x === d || g.includes(x)),
    );

  return (
    <section aria-labelledby="stock-title">
      <div class="page-head">
        <h1 id="stock-title">{t('stockTitle')}</h1>
        <button type="button" onClick={() => setReload((n) => n + 1)}>
          {t('refresh')}
        </button>
      </div>
      <fieldset class="filters">
        <legend>{t('groupBy')}</legend>
        {stockDimensions.map((d) => (
          <label key={d} class="check">
            <input type="checkbox" checked={groupBy.includes(d)} onChange={() => toggle(d)} />
            {t(`dim_${d}`)}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <p class="muted">
            {t('at')}: {formatDate(language, report.at)}
          </p>
          <table class="grid" aria-labelledby="stock-title">
            <thead>
              <tr>
                {report.groupBy.map((d) => (
                  <th key={d} scope="col">
                    {t(`dim_${d}`)}
                  </th>
                ))}
                <th scope="col" class="num">
                  {t('ordered')}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row, i) => (
                <tr key={i}>
                  {report.groupBy.map((d) => (
                    <td key={d}>{row[d]?.name ?? ''}</td>
                  ))}
                  <td class="num">{row.ordered}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={report.groupBy.length}>
                  {t('total')}
                </th>
                <td class="num" data-testid="stock-total">
                  {report.total}
                </td>
              </tr>
            </tfoot>
          </table>
        </>
      )}
    </section>
  );
}
