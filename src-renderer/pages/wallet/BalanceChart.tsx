import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useMemo } from 'react';
import { useWalletStore } from '../../stores/wallet-store.js';
import { balanceSeries } from './balance-series.js';

export function BalanceChart() {
  const balance = useWalletStore((s) => s.balance);
  const history = useWalletStore((s) => s.history);
  const data = useMemo(() => (balance ? balanceSeries(balance.amountI64, history) : []), [balance, history]);
  return (
    <section className="card" aria-label="Balance over time">
      <div className="card-title">
        <h2>Balance over time</h2>
        <span className="faint">by epoch</span>
      </div>
      {data.length < 2 ? (
        <div className="empty">The chart appears once the balance has changed on chain.</div>
      ) : (
        <div className="chart" role="img" aria-label={`Balance chart over ${data.length} epochs`}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <defs>
                <linearGradient id="balanceFill" x1="0" y1="0" x2="0" y2="1">
                  <stop offset="0%" stopColor="#f0883e" stopOpacity={0.35} />
                  <stop offset="100%" stopColor="#f0883e" stopOpacity={0} />
                </linearGradient>
              </defs>
              <CartesianGrid stroke="#28303b" vertical={false} />
              <XAxis dataKey="epoch" stroke="#8691a1" tickLine={false} fontSize={12} />
              <YAxis stroke="#8691a1" tickLine={false} fontSize={12} width={80} />
              <Tooltip
                contentStyle={{ background: '#151a21', border: '1px solid #3a4452', borderRadius: 8 }}
                labelFormatter={(e) => `Epoch ${String(e)}`}
                formatter={(v) => [`${Number(v).toLocaleString('en-US')} RTC`, 'Balance']}
              />
              <Area
                type="stepAfter"
                dataKey="rtc"
                stroke="#f0883e"
                strokeWidth={2}
                fill="url(#balanceFill)"
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
