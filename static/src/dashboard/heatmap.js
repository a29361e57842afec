// The heatmap of groups (rows) by dimension (columns), each cell labelled with its figure and
// coloured by the stage of its mean score, or, given a continuous scale (scale.js), by the figure
// itself. Withheld cells are hatched and, where there is room, labelled "Withheld": never marked by
// colour alone; their tooltip says why. Used for the overview and for the breakdown cells.
import { base, escapeRich, narrowWidth, wrapText } from './chart.js'
import { border, ink, paper } from './stages.js'

export const withheldDecal = {
  symbol: 'rect',
  symbolSize: 1,
  color: '#6f777b',
  backgroundColor: paper,
  dashArrayX: [1, 0],
  dashArrayY: [2, 5],
  rotation: -Math.PI / 4
}

// cellOf reads one figure set of a report into a heatmap cell.
export function cellOf (fig, pal) {
  if (!fig) return { state: 'none' }
  if (fig.withheld) return { state: 'withheld', reason: fig.reason }
  if (fig.mean == null) return { state: 'none' }
  return { state: 'shown', mean: fig.mean, stage: pal.find((s) => s.key === fig.stage) || null, ci95: fig.ci95, n: fig.n }
}

function truncate (text, chars) {
  return text.length > chars ? `${text.slice(0, Math.max(1, chars - 1))}…` : text
}

// heatmapOption lays out the heatmap for a container width. rows: [{id, label, label2, depth,
// expandable, expanded, cells: {columnKey: cell}}]; columns: [{key, label}]. With a scale, a shown
// cell's figure is its `value` (written as `text`), coloured on the scale, and its tooltip `tip`;
// a withheld cell's tooltip is its `why`. Without one, cells are coloured by stage (the stage key
// drawn below the chart).
export function heatmapOption ({ rows, columns, pal, width, description, scale }) {
  const narrow = width < narrowWidth
  const labelWidth = narrow ? 110 : Math.min(250, Math.round(width * 0.27))
  const left = labelWidth + 12
  const right = 8
  const cellW = (width - left - right) / columns.length
  const twoLines = narrow || rows.some((r) => r.label2)
  const rowH = twoLines ? (narrow ? 32 : 38) : 36
  const xLabelLines = narrow ? 1 : 4
  const top = narrow ? 118 : 16 * xLabelLines + 14
  // The key: stages across the foot of the chart, or down its left on a phone.
  const bottom = scale ? 28 : narrow ? 20 + pal.length * 20 : 44
  const height = top + rows.length * rowH + bottom
  const showWithheldText = cellW >= 62
  const charW = narrow ? 6.2 : 6.8

  const shown = []
  const withheld = []
  rows.forEach((row, y) => {
    columns.forEach((col, x) => {
      const c = row.cells[col.key] || { state: 'none' }
      if (c.state === 'shown' && scale) {
        shown.push({
          value: [x, y, c.value],
          text: narrow ? c.short : c.text,
          itemStyle: { color: scale.colour(c.value) },
          label: { color: scale.text(c.value) },
          tip: `${row.label}\n${col.label}\n${c.tip}`
        })
      } else if (c.state === 'shown') {
        const stage = c.stage || pal[0]
        shown.push({
          value: [x, y, c.mean],
          label: { color: stage.text },
          tip: `${row.label}${row.label2 ? `: ${row.label2}` : ''}\n${col.label}\n${c.mean.toFixed(1)} (${stage.label})`
        })
      } else if (c.state === 'withheld') {
        withheld.push({ value: [x, y, 0], tip: `${row.label}${row.label2 ? `: ${row.label2}` : ''}\n${col.label}\nWithheld: ${c.why || 'too few responses to show'}` })
      }
    })
  })

  const labelFor = new Map(rows.map((r) => [r.id, r]))
  const rich = {}
  for (let d = 0; d < 4; d++) rich[`d${d}`] = { padding: [0, 0, 0, d * 10], fontSize: narrow ? 11 : 13, lineHeight: narrow ? 13 : 16, color: ink }
  rich.e = { fontWeight: 'bold', fontSize: narrow ? 12 : 13, color: ink }

  const option = {
    ...base(description),
    grid: { left, right, top, bottom, outerBoundsMode: 'none' },
    xAxis: {
      type: 'category',
      position: 'top',
      data: columns.map((c) => c.key),
      splitArea: { show: false },
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        interval: 0,
        color: ink,
        fontSize: narrow ? 11 : 12,
        lineHeight: 15,
        rotate: narrow ? 90 : 0,
        formatter: (key) => {
          const col = columns.find((c) => c.key === key)
          const text = col ? col.label : key
          return narrow ? truncate(text, 19) : wrapText(text, Math.max(6, Math.floor(cellW / 6.6)), xLabelLines)
        }
      }
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.id),
      axisTick: { show: false },
      axisLine: { show: false },
      triggerEvent: true,
      axisLabel: {
        interval: 0,
        align: 'left',
        margin: labelWidth + 4,
        formatter: (id) => {
          const r = labelFor.get(id)
          if (!r) return id
          const depth = Math.min(r.depth || 0, 3)
          const mark = r.expandable ? (r.expanded ? '▾ ' : '▸ ') : ''
          const room = Math.floor((labelWidth - depth * 10) / charW) - mark.length
          // On a phone a name takes two short lines; on a desktop one long one. A row with a
          // second label (a breakdown's answer) gives it the second line.
          const lines = r.label2
            ? [truncate(r.label, room), truncate(r.label2, room + mark.length)]
            : narrow ? wrapText(r.label, room, 2).split('\n') : [truncate(r.label, room)]
          return lines.map((l, i) => `{d${depth}|${i === 0 ? mark : mark ? '   ' : ''}${escapeRich(l)}}`).join('\n')
        },
        rich
      }
    },
    visualMap: scale ? undefined : {
      type: 'piecewise',
      seriesIndex: 0,
      dimension: 2,
      orient: narrow ? 'vertical' : 'horizontal',
      left: 0,
      bottom: 0,
      itemWidth: 18,
      itemHeight: 14,
      itemGap: narrow ? 6 : 14,
      selectedMode: false,
      hoverLink: false,
      textStyle: { color: ink, fontSize: 12 },
      pieces: pal.map((s, i) => ({
        gte: s.from,
        ...(i < pal.length - 1 ? { lt: s.to } : { lte: 100 }),
        label: narrow ? s.label : `${s.label} ${s.from}–${s.to}`,
        color: s.colour
      })),
    },
    legend: {
      data: [{ name: 'Withheld', icon: 'rect', itemStyle: { color: paper, borderColor: border, borderWidth: 1, decal: withheldDecal } }],
      right: 0,
      bottom: 0,
      selectedMode: false,
      itemWidth: 18,
      itemHeight: 14,
      textStyle: { color: ink, fontSize: 12 }
    },
    tooltip: { ...base().tooltip, formatter: (p) => p.data && p.data.tip ? p.data.tip : '' },
    series: [
      {
        name: 'Mean score',
        type: 'heatmap',
        data: shown,
        itemStyle: { borderColor: paper, borderWidth: 2 },
        label: {
          show: true,
          fontSize: narrow ? 11 : 13,
          formatter: (p) => p.data.text ?? Number(p.value[2]).toFixed(narrow ? 0 : 1)
        },
        emphasis: { itemStyle: { borderColor: ink, borderWidth: 2 } }
      },
      {
        name: 'Withheld',
        type: 'heatmap',
        data: withheld,
        itemStyle: { color: paper, borderColor: border, borderWidth: 1, decal: withheldDecal },
        label: {
          show: showWithheldText,
          formatter: 'Withheld',
          color: ink,
          fontSize: 12,
          backgroundColor: paper,
          padding: [2, 3]
        },
        emphasis: { itemStyle: { borderColor: ink, borderWidth: 2 } }
      }
    ]
  }
  return { option, height }
}
