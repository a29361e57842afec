// The charts of a group's page: scores by dimension, the share of respondents at each stage, the
// maturity score beside the self-rated now and the target, and skills. A withheld figure keeps its
// row in each chart, hatched and labelled with why it is withheld, and in each table, in words.
import { base, chartBlock, escapeRich, narrowWidth, withheldSeries, wrapText } from './chart.js'
import { table, tag } from './dom.js'
import { percent, plural, score, shares, withheldLabel } from './format.js'
import { ink, paper, stageByKey } from './stages.js'

const blue = '#1d70b8'
const green = '#00703c'
const grey = '#505a5f'
const risk = '#aa2a16' // 7:1 on white

const gridLine = { lineStyle: { color: '#b1b4b6' } }

// labelLayout chooses the width of the category labels down a horizontal chart.
function labelLayout (width) {
  const narrow = width < narrowWidth
  const labelWidth = narrow ? Math.min(130, Math.round(width * 0.42)) : Math.min(280, Math.round(width * 0.3))
  const plot = width - labelWidth - 28
  return { narrow, labelWidth, chars: Math.floor(labelWidth / (narrow ? 6.3 : 6.8)), plotChars: Math.max(12, Math.floor(plot / 7)) }
}

function valueAxis (name, max = 100, extra = {}) {
  return {
    type: 'value', min: 0, max, interval: max === 100 ? 20 : undefined,
    name, nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: ink, fontSize: 12 },
    axisLabel: { color: ink }, axisLine: { show: true, lineStyle: { color: ink } }, splitLine: gridLine, ...extra
  }
}

function categoryAxis (rows, layout, second) {
  return {
    type: 'category',
    inverse: true,
    data: rows.map((r) => r.key),
    axisTick: { show: false },
    axisLine: { lineStyle: { color: ink } },
    axisLabel: {
      interval: 0,
      width: layout.labelWidth,
      color: ink,
      formatter: (key) => {
        const r = rows.find((x) => x.key === key)
        if (!r) return key
        const title = escapeRich(wrapText(r.title, layout.chars, 2)).split('\n').map((l) => `{t|${l}}`).join('\n')
        const more = second && !r.fig.withheld ? second(r) : ''
        return more ? `${title}\n${more}` : title
      },
      rich: {
        t: { color: ink, fontSize: layout.narrow ? 12 : 13, lineHeight: 16 },
        v: { color: ink, fontSize: layout.narrow ? 12 : 13, fontWeight: 'bold', lineHeight: 16 },
        r: { color: risk, fontSize: layout.narrow ? 12 : 13, fontWeight: 'bold', lineHeight: 16 }
      }
    }
  }
}

// dimensionRows lists the overall score and each dimension of a group, with its figures.
export function dimensionRows (rep, g) {
  return [{ key: 'overall', title: 'Overall', fig: g.overall },
    ...rep.dimensions.map((d) => ({ key: d.key, title: d.title, fig: g.dimensions && g.dimensions[d.key] }))]
}

export const shownFig = (f) => f && !f.withheld && f.mean != null

// missing says what stands in a table row instead of a figure, or null where there is one.
export function missing (f, k) {
  if (!f) return 'No answers'
  if (f.withheld) return withheldLabel(f.reason, k)
  return null
}

// charted keeps the rows a chart shows: those with figures, and the withheld ones in their place.
function charted (rows, k, keep = shownFig) {
  return rows.filter((r) => r.fig && (r.fig.withheld || keep(r.fig)))
    .map((r) => ({ ...r, withheld: r.fig.withheld ? withheldLabel(r.fig.reason, k) : null }))
}

function withheldCell (f, k, span) {
  return { content: missing(f, k), attrs: { colspan: String(span), 'data-withheld': f && f.withheld ? f.reason : 'none' }, classes: 'app-cell--withheld' }
}

// scoresBlock: bars coloured by stage, with error bars for the 95% confidence interval.
export function scoresBlock (dims, pal, g, share) {
  const k = share.threshold
  const rows = charted(dims, k)
  return chartBlock({
    name: 'scores',
    title: 'maturity score by dimension',
    share: { ...share, title: 'Maturity score by dimension, with 95% confidence intervals' },
    description: `Bar chart of ${g.name}'s maturity score in each dimension, with 95% confidence intervals; withheld figures are hatched and say why. The figures are in the table below the chart.`,
    fileName: `scores-${g.key}-${share.waveKey}`,
    build: (width) => {
      const layout = labelLayout(width)
      const option = {
        ...base(''),
        grid: { left: layout.labelWidth + 12, right: 16, top: 8, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis(layout.narrow ? 'Maturity score, 95% interval' : 'Maturity score, 0 to 100, with 95% confidence interval', 100, layout.narrow ? { interval: 50 } : {}),
        yAxis: categoryAxis(rows, layout, (r) => {
          const s = stageByKey(pal, r.fig.stage)
          return `{v|${score(r.fig.mean)} · ${escapeRich(s ? s.label : r.fig.stage)}}`
        }),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data && p.data.tip },
        series: [
          {
            type: 'bar',
            name: 'Maturity score',
            barWidth: '55%',
            data: rows.map((r) => {
              if (r.withheld) return { value: '-' }
              const s = stageByKey(pal, r.fig.stage) || pal[0]
              return {
                value: r.fig.mean,
                itemStyle: { color: s.colour, borderColor: ink, borderWidth: 1 },
                tip: `${r.title}\nMaturity score ${score(r.fig.mean)} (${s.label})\n95% CI ${score(r.fig.ci95[0])} to ${score(r.fig.ci95[1])}, n = ${r.fig.n}`
              }
            })
          },
          {
            type: 'custom',
            name: '95% confidence interval',
            silent: true,
            encode: { x: [0, 1], y: 2 },
            data: rows.map((r, i) => !r.withheld && r.fig.ci95 && r.fig.ci95[0] != null ? [r.fig.ci95[0], r.fig.ci95[1], i] : ['-', '-', i]),
            renderItem: (params, api) => {
              const lo = api.value(0)
              const hi = api.value(1)
              if (Number.isNaN(lo) || Number.isNaN(hi)) return null
              const a = api.coord([lo, api.value(2)])
              const b = api.coord([hi, api.value(2)])
              const cap = api.size([0, 1])[1] * 0.22
              const style = { stroke: ink, lineWidth: 2 }
              return {
                type: 'group',
                children: [
                  { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style },
                  { type: 'line', shape: { x1: a[0], y1: a[1] - cap, x2: a[0], y2: a[1] + cap }, style },
                  { type: 'line', shape: { x1: b[0], y1: b[1] - cap, x2: b[0], y2: b[1] + cap }, style }
                ]
              }
            },
            z: 3
          },
          withheldSeries(rows, 100, layout.plotChars)
        ]
      }
      return { option, height: rows.length * (layout.narrow ? 58 : 52) + 60 }
    },
    tableOf: () => table({
      caption: `${g.name}: maturity score by dimension`,
      head: ['Dimension', { content: 'Maturity score', numeric: true }, { content: '95% confidence interval', numeric: true }, 'Stage',
        { content: 'Median', numeric: true }, { content: 'Standard deviation', numeric: true }, { content: 'Respondents', numeric: true },
        { content: 'Cronbach’s alpha', numeric: true }],
      rows: dims.map((r) => {
        const f = r.fig
        if (missing(f, k)) return { cells: [r.title, withheldCell(f, k, 7)], attrs: { 'data-dimension': r.key } }
        const s = stageByKey(pal, f.stage)
        return {
          attrs: { 'data-dimension': r.key },
          cells: [r.title, { content: score(f.mean), numeric: true }, { content: `${score(f.ci95[0])} to ${score(f.ci95[1])}`, numeric: true },
            s ? s.label : f.stage, { content: score(f.median), numeric: true }, { content: score(f.sd), numeric: true },
            { content: String(f.n), numeric: true }, { content: f.alpha == null ? '–' : f.alpha.toFixed(2), numeric: true }]
        }
      })
    })
  })
}

// stageShares is the whole-percentage share of a figure's respondents in each stage, adding to 100.
export function stageShares (pal, f) {
  const counts = pal.map((s) => f.stages[s.key] || 0)
  return { counts, pcts: shares(counts), n: counts.reduce((a, b) => a + b, 0) }
}

// stagesBlock: the share of respondents at each stage, one bar of 100% per dimension, with its n,
// so a dimension fewer people answered does not look worse than one more answered.
export function stagesBlock (dims, pal, g, share) {
  const k = share.threshold
  const rows = charted(dims, k, (f) => shownFig(f) && f.stages)
  return chartBlock({
    name: 'stages',
    title: 'share of respondents at each stage',
    share: { ...share, title: 'Share of respondents at each stage, by dimension' },
    description: `Stacked bar chart of the share of ${g.name}'s respondents whose own score sits in each stage, by dimension, each bar adding to 100% with its number of respondents. The figures are in the table below the chart.`,
    fileName: `stages-${g.key}-${share.waveKey}`,
    build: (width) => {
      const layout = labelLayout(width)
      const plotWidth = width - layout.labelWidth - 28
      const legendRows = layout.narrow ? Math.ceil(pal.length / 2) : 1
      const top = 12 + legendRows * 22
      const split = new Map(rows.filter((r) => !r.withheld).map((r) => [r.key, stageShares(pal, r.fig)]))
      const option = {
        ...base(''),
        legend: { top: 0, left: 0, itemWidth: 16, itemHeight: 12, selectedMode: false, textStyle: { color: ink, fontSize: 12 }, data: pal.map((s) => s.label) },
        grid: { left: layout.labelWidth + 12, right: 16, top: top + 8, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis('Share of respondents', 100, { interval: layout.narrow ? 50 : 20, axisLabel: { color: ink, formatter: (v) => `${v}%` } }),
        yAxis: categoryAxis(rows, layout, (r) => `{t|n = ${split.get(r.key).n}}`),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data && p.data.tip },
        series: [...pal.map((s, si) => ({
          type: 'bar',
          name: s.label,
          stack: 'share',
          barWidth: '55%',
          itemStyle: { color: s.colour, borderColor: ink, borderWidth: 0.5 },
          data: rows.map((r) => {
            if (r.withheld) return { value: '-' }
            const { counts, pcts, n } = split.get(r.key)
            const pct = pcts[si]
            return {
              value: pct,
              tip: `${r.title}\n${s.label}: ${pct}% (${plural(counts[si], 'respondent', 'respondents')} of ${n})`,
              label: { show: pct > 0 && (pct / 100) * plotWidth >= 30, color: s.text, formatter: `${pct}%` }
            }
          })
        })), withheldSeries(rows, 100, layout.plotChars)]
      }
      return { option, height: top + rows.length * (layout.narrow ? 58 : 52) + 60 }
    },
    tableOf: () => table({
      caption: `${g.name}: share of respondents at each stage`,
      head: ['Dimension', ...pal.map((s) => ({ content: `${s.label} (${s.from} to ${s.to})`, numeric: true })), { content: 'Respondents (n)', numeric: true }],
      rows: dims.map((r) => {
        if (missing(r.fig, k)) return { cells: [r.title, withheldCell(r.fig, k, pal.length + 1)], attrs: { 'data-dimension': r.key } }
        const { pcts, n } = stageShares(pal, r.fig)
        return {
          attrs: { 'data-dimension': r.key },
          cells: [r.title, ...pcts.map((p) => ({ content: `${p}%`, numeric: true, attrs: { 'data-share': String(p) } })), { content: String(n), numeric: true, attrs: { 'data-n': String(n) } }]
        }
      })
    })
  })
}

// nowBlock: the maturity score beside the self-rated now and the target, with the gap.
export function nowBlock (dims, g, share) {
  const k = share.threshold
  const rows = charted(dims, k, (f) => shownFig(f) && f.now != null && f.target != null)
  const label = { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => score(p.value) }
  return chartBlock({
    name: 'target',
    title: 'maturity score, self-rated now and target',
    share: { ...share, title: 'Maturity score, self-rated now and target, by dimension' },
    description: `Bar chart of ${g.name}'s maturity score (the mean of all its answers), the self-rated now (where people say the team is now) and the target (where they say it should be), in each dimension that asks both now and should be. The figures are in the table below the chart.`,
    fileName: `now-${g.key}-${share.waveKey}`,
    build: (width) => {
      const layout = labelLayout(width)
      const top = layout.narrow ? 78 : 36
      const option = {
        ...base(''),
        legend: { top: 0, left: 0, selectedMode: false, itemWidth: 18, itemHeight: 12, textStyle: { color: ink, fontSize: 12 }, data: ['Maturity score', 'Self-rated now', 'Target (should be)'] },
        grid: { left: layout.labelWidth + 12, right: 40, top, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis('Score, 0 to 100', 100, layout.narrow ? { interval: 50 } : {}),
        yAxis: categoryAxis(rows, layout, (r) => `{v|Gap ${score(r.fig.gap)}}`),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data && p.data.tip },
        series: [
          {
            type: 'bar',
            name: 'Maturity score',
            barGap: '15%',
            itemStyle: { color: grey },
            label,
            data: rows.map((r) => r.withheld ? { value: '-' } : { value: r.fig.mean, tip: `${r.title}\nMaturity score (all answers): ${score(r.fig.mean)}` })
          },
          {
            type: 'bar',
            name: 'Self-rated now',
            itemStyle: { color: blue, borderColor: blue, borderWidth: 2 },
            label,
            data: rows.map((r) => r.withheld ? { value: '-' } : { value: r.fig.now, tip: `${r.title}\nSelf-rated now: ${score(r.fig.now)}\nGap: ${score(r.fig.gap)}` })
          },
          {
            type: 'bar',
            name: 'Target (should be)',
            itemStyle: { color: paper, borderColor: blue, borderWidth: 2 },
            label,
            data: rows.map((r) => r.withheld ? { value: '-' } : { value: r.fig.target, tip: `${r.title}\nTarget: ${score(r.fig.target)}\nGap: ${score(r.fig.gap)}` })
          },
          withheldSeries(rows, 100, layout.plotChars)
        ]
      }
      return { option, height: top + rows.length * (layout.narrow ? 78 : 70) + 56 }
    },
    tableOf: () => table({
      caption: `${g.name}: maturity score, self-rated now and target`,
      head: ['Dimension', { content: 'Maturity score (mean of all answers)', numeric: true }, { content: 'Self-rated now', numeric: true },
        { content: 'Target (should be)', numeric: true }, { content: 'Gap (target − now)', numeric: true }],
      rows: dims.map((r) => {
        const f = r.fig
        if (missing(f, k)) return { cells: [r.title, withheldCell(f, k, 4)], attrs: { 'data-dimension': r.key } }
        const none = f.now == null ? { content: 'Not asked', numeric: true } : null
        return {
          attrs: { 'data-dimension': r.key },
          cells: [r.title, { content: score(f.mean), numeric: true, attrs: { 'data-figure': 'maturity' } },
            none || { content: score(f.now), numeric: true, attrs: { 'data-figure': 'now' } },
            none || { content: score(f.target), numeric: true }, none || { content: score(f.gap), numeric: true }]
        }
      })
    })
  })
}

// skillsBlock: coverage and the share meeting the level their role needs, with depth beside each name.
export function skillsBlock (skillRows, g, share) {
  const k = share.threshold
  const rows = charted(skillRows, k, (f) => f.coverage != null)
  const depthText = (r) => `${r.group === 'specialist' ? 'Specialist' : 'Everyone'} · depth ${r.fig.depth}`
  return chartBlock({
    name: 'skills',
    title: 'skills coverage and depth',
    share: { ...share, title: 'Skills: coverage and the share meeting the level their role needs' },
    description: `Bar chart of the share of ${g.name}'s respondents at working level or above in each skill, and the share meeting the level their role needs; depth risks are named beside each skill. The figures are in the table below the chart.`,
    fileName: `skills-${g.key}-${share.waveKey}`,
    build: (width) => {
      const layout = labelLayout(width)
      const option = {
        ...base(''),
        legend: { top: 0, left: 0, selectedMode: false, itemWidth: 18, itemHeight: 12, textStyle: { color: ink, fontSize: 12 }, data: ['Working level or above (coverage)', 'Meets the level their role needs'] },
        grid: { left: layout.labelWidth + 12, right: 44, top: layout.narrow ? 56 : 36, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis('Share of respondents', 1, { interval: layout.narrow ? 0.5 : 0.2, axisLabel: { color: ink, formatter: (v) => percent(v) } }),
        yAxis: categoryAxis(rows, layout, (r) => r.fig.depth_risk ? `{t|${depthText(r)}} {r|⚠ at risk}` : `{t|${depthText(r)}}`),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data && p.data.tip },
        series: [
          {
            type: 'bar',
            name: 'Working level or above (coverage)',
            barGap: '15%',
            itemStyle: { color: blue },
            label: { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => percent(p.value) },
            data: rows.map((r) => r.withheld ? { value: '-' } : { value: r.fig.coverage, tip: `${r.title}\nCoverage ${percent(r.fig.coverage)}\nDepth ${r.fig.depth}${r.fig.depth_risk ? ' (at risk)' : ''}` })
          },
          {
            type: 'bar',
            name: 'Meets the level their role needs',
            itemStyle: { color: green },
            label: { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => p.value == null ? '' : percent(p.value) },
            data: rows.map((r) => r.withheld ? { value: '-' } : { value: r.fig.meets_expected ?? '-', tip: `${r.title}\nMeets the level their role needs: ${percent(r.fig.meets_expected)}` })
          },
          withheldSeries(rows, 1, layout.plotChars)
        ]
      }
      return { option, height: (layout.narrow ? 56 : 36) + rows.length * (layout.narrow ? 70 : 62) + 56 }
    },
    tableOf: () => table({
      caption: `${g.name}: skills`,
      head: ['Skill', 'Needed by', { content: 'Coverage (working or above)', numeric: true }, { content: 'Depth (practitioner or above)', numeric: true },
        'Depth risk', { content: 'Meets the level their role needs', numeric: true }, { content: 'Respondents', numeric: true }],
      rows: skillRows.map((r) => {
        if (missing(r.fig, k)) return [r.title, withheldCell(r.fig, k, 6)]
        return [r.title, r.group === 'specialist' ? 'Specialists' : 'Everyone', { content: percent(r.fig.coverage), numeric: true },
          { content: String(r.fig.depth), numeric: true },
          r.fig.depth_risk ? tag('Depth risk', 'red') : 'No',
          { content: percent(r.fig.meets_expected), numeric: true }, { content: String(r.fig.n), numeric: true }]
      })
    })
  })
}
