// A group's trend across the waves of its survey: a small panel per figure on a shared scale,
// significant changes ringed and labelled, and a table of every figure with the full wave names.
// On a phone the waves' names are shortened or turned so they never overlap or run off the chart.
import { base, chartBlock, narrowWidth, wrapText } from './chart.js'
import { h, table } from './dom.js'
import { score, signed, withheldLabel } from './format.js'
import { ink } from './stages.js'

const blue = '#1d70b8'
const gridLine = { lineStyle: { color: '#b1b4b6' } }

// waveLabels fits the waves' names under a panel plotWidth wide: whole where they fit, else
// wrapped on two lines, else turned upright and cut short (the table under the chart names them in full).
export function waveLabels (labels, plotWidth) {
  const per = plotWidth / Math.max(1, labels.length)
  const chars = Math.max(4, Math.floor(per / 6.4))
  const longest = Math.max(...labels.map((l) => l.length))
  if (longest <= chars) return { formatter: (v) => v, rotate: 0, height: 0 }
  const words = Math.max(...labels.flatMap((l) => l.split(/\s+/).map((w) => w.length)))
  if (words <= chars) return { formatter: (v) => wrapText(v, chars, 2), rotate: 0, height: 18 }
  // Turned upright, a name takes one line's width whatever its length.
  const cut = 16
  return { formatter: (v) => v.length > cut ? `${v.slice(0, cut - 1)}…` : v, rotate: 90, height: Math.round(cut * 6.2) }
}

// The trend: one line per figure across the waves, significant changes ringed and labelled.
export function trendContent (trend, rep, g, share) {
  const wave = share.waveKey
  const waves = trend.waves || []
  const shown = waves.filter((w) => !w.withheld)
  if (!shown.length) {
    return [h('p', { class: 'govuk-body', dataset: { trendWaves: String(waves.length) } },
      `${g.name}'s figures are withheld in every wave up to this one, so there is no trend to show.`)]
  }
  const names = new Map([['overall', 'Overall'], ...rep.dimensions.map((d) => [d.key, d.title])])
  const keys = [...names.keys()].filter((k) => waves.some((w) => figOf(w, k)))
  const titles = waves.map((w) => w.title || w.wave)
  const labels = waves.map((w, i) => titles.indexOf(titles[i]) !== i || titles.lastIndexOf(titles[i]) !== i ? `${titles[i]} (${w.wave})` : titles[i])
  const significant = []
  for (const w of waves) {
    for (const [k, c] of Object.entries(w.change || {})) if (c.significant) significant.push({ wave: w, key: k, change: c })
  }
  const block = chartBlock({
    name: 'trend',
    title: 'trend across waves',
    share: { ...share, title: 'Maturity score across waves' },
    description: `Line charts of ${g.name}'s mean scores in each wave up to this one, one for each dimension and one overall. Ringed points are significant changes from the wave before. The figures are in the table below the chart.`,
    fileName: `trend-${g.key}-${wave}`,
    // Small multiples: a panel per figure on a shared scale, so no line hides another and each
    // significant change can carry its own label.
    build: (width) => {
      const narrow = width < narrowWidth
      const cols = narrow ? 1 : 2
      const panelW = (width - (cols - 1) * 32) / cols
      const panelH = narrow ? 150 : 170
      const fit = waveLabels(labels, panelW - 56)
      const gap = 58 + fit.height
      const values = keys.flatMap((k) => waves.map((w) => figOf(w, k)).filter(Boolean).map((f) => f.mean))
      const lo = Math.max(0, Math.floor((Math.min(...values) - 5) / 10) * 10)
      let hi = Math.min(100, Math.ceil((Math.max(...values) + 5) / 10) * 10)
      const interval = hi - lo <= 40 ? 10 : 20
      if ((hi - lo) % interval) hi = Math.min(100, hi + 10)
      const grid = []
      const xAxis = []
      const yAxis = []
      const series = []
      keys.forEach((k, i) => {
        const col = i % cols
        const row = Math.floor(i / cols)
        const colour = k === 'overall' ? ink : blue
        grid.push({ left: col * (panelW + 32) + 40, width: panelW - 56, top: row * (panelH + gap) + 40, height: panelH - 40, outerBoundsMode: 'none' })
        xAxis.push({
          gridIndex: i, type: 'category', data: labels, boundaryGap: true,
          axisLabel: { color: ink, interval: 0, fontSize: 11, lineHeight: 15, rotate: fit.rotate, formatter: fit.formatter },
          axisLine: { lineStyle: { color: ink } }, axisTick: { alignWithLabel: true }
        })
        yAxis.push({
          gridIndex: i, type: 'value', min: lo, max: hi, interval,
          name: wrapText(names.get(k), Math.floor(panelW / 8.2), 1), nameLocation: 'end', nameGap: 14,
          nameTextStyle: { color: ink, fontSize: 13, fontWeight: 'bold', align: 'left', padding: [0, 0, 0, -36] },
          axisLabel: { color: ink, fontSize: 11 }, axisLine: { show: true, lineStyle: { color: ink } }, splitLine: gridLine
        })
        series.push({
          type: 'line',
          name: names.get(k),
          xAxisIndex: i,
          yAxisIndex: i,
          symbol: 'circle',
          symbolSize: 8,
          lineStyle: { width: 2, color: colour },
          itemStyle: { color: colour },
          connectNulls: false,
          data: waves.map((w, wi) => {
            const f = figOf(w, k)
            if (!f) return '-'
            const c = w.change && w.change[k]
            const item = {
              value: f.mean,
              tip: `${names.get(k)}, ${labels[wi]}\nMean ${score(f.mean)}${c ? `\nChange ${signed(c.change)}${c.significant ? ', significant' : ''}` : ''}`
            }
            if (c && c.significant) {
              item.symbol = 'emptyCircle'
              item.symbolSize = 16
              item.itemStyle = { color: colour, borderColor: ink, borderWidth: 3 }
              item.label = { show: true, position: f.mean > (lo + hi) / 2 ? 'bottom' : 'top', distance: 8, color: ink, fontWeight: 'bold', fontSize: 12, formatter: `${c.change > 0 ? '▲' : '▼'} ${signed(c.change)}` }
            }
            return item
          })
        })
      })
      const rows = Math.ceil(keys.length / cols)
      const option = {
        ...base(''),
        grid,
        xAxis,
        yAxis,
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data && p.data.tip },
        series
      }
      return { option, height: rows * (panelH + gap) + 16 }
    },
    tableOf: () => table({
      caption: `${g.name} across waves`,
      head: ['Wave', { content: 'Responses', numeric: true }, ...keys.map((k) => ({ content: names.get(k), numeric: true }))],
      rows: waves.map((w, wi) => [
        labels[wi] + (w.wave === wave ? ' (this wave)' : ''),
        { content: w.withheld ? withheldLabel(w.reason, share.threshold) : String(w.n ?? '–'), numeric: true },
        ...keys.map((k) => {
          const f = figOf(w, k)
          const held = w.withheld ? w : withheldFig(w, k)
          if (held) return { content: withheldLabel(held.reason, share.threshold), numeric: true }
          if (!f) return { content: '–', numeric: true }
          const c = w.change && w.change[k]
          return {
            numeric: true,
            content: [score(f.mean), c ? h('span', { class: 'app-change' }, ` (${signed(c.change)}${c.significant ? ', ' : ''}`, c.significant ? h('strong', { dataset: { significant: 'true' } }, 'significant') : null, ')') : null]
          }
        })
      ])
    })
  })
  const out = [
    h('p', { class: 'govuk-body' }, `${g.name}'s mean scores in each wave of this survey up to this one. A ringed point marked ▲ or ▼ is a significant change from the wave before: Welch’s t-test, corrected for the number of changes on this page (Benjamini–Hochberg, q < 0.05), so about 1 in 20 changes called significant may be chance.`),
    significant.length
      ? h('p', { class: 'govuk-body', dataset: { significantCount: String(significant.length) } },
        `Significant changes: ${significant.map((s) => `${names.get(s.key) || s.key} ${signed(s.change.change)} in ${s.wave.title || s.wave.wave}`).join('; ')}.`)
      : h('p', { class: 'govuk-body', dataset: { significantCount: '0' } }, shown.length < 2
        ? `There is no change to test: ${g.name}'s figures are shown in only one wave.`
        : 'No change between waves is significant.'),
    block.block
  ]
  queueMicrotask(() => block.mount())
  block.container.dataset.waves = String(waves.length)
  return out
}

function figOf (w, key) {
  const f = key === 'overall' ? w.overall : w.dimensions && w.dimensions[key]
  return f && !f.withheld && f.mean != null ? f : null
}

function withheldFig (w, key) {
  const f = key === 'overall' ? w.overall : w.dimensions && w.dimensions[key]
  return f && f.withheld ? f : null
}

