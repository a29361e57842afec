// A group's page: its figures by dimension with confidence intervals, respondents at each stage,
// the target against the self-rated now, the questions pulling it down, skills coverage and depth, response
// rate and its trend across waves. Each chart has a table of the same figures under it.
import { dashboardURL, trendURL, getJSON } from './api.js'
import { base, chartBlock, escapeRich, narrowWidth, wrapText } from './chart.js'
import { h, link, table, tag } from './dom.js'
import { percent, plural, score, signed, whyWithheld } from './format.js'
import { about, downloads, heading, problem, section, waveCaption } from './page.js'
import { ink, paper, stageByKey } from './stages.js'
import { tree } from './tree.js'

const blue = '#1d70b8'
const green = '#00703c'
const risk = '#aa2a16' // 7:1 on white

const gridLine = { lineStyle: { color: '#b1b4b6' } }

// labelLayout chooses the width of the category labels down a horizontal chart.
function labelLayout (width) {
  const narrow = width < narrowWidth
  const labelWidth = narrow ? Math.min(130, Math.round(width * 0.42)) : Math.min(280, Math.round(width * 0.3))
  return { narrow, labelWidth, chars: Math.floor(labelWidth / (narrow ? 6.3 : 6.8)) }
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
        const more = second ? second(r) : ''
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

function dimensionRows (rep, g) {
  return [{ key: 'overall', title: 'Overall', fig: g.overall },
    ...rep.dimensions.map((d) => ({ key: d.key, title: d.title, fig: g.dimensions && g.dimensions[d.key] }))]
}

const shownFig = (f) => f && !f.withheld && f.mean != null

function figText (f) {
  if (!f) return 'No answers'
  if (f.withheld) return 'Withheld'
  return null
}

export async function groupPage (main, rep, pal, picker, groupKey) {
  const wave = rep.wave.key
  const t = tree(rep.groups)
  const g = t.byKey.get(groupKey)
  if (!g) {
    main.replaceChildren(...heading('Group not found', waveCaption(rep.wave)),
      problem('There is no such group in this wave', `No team, directorate or department has the key “${groupKey}” in this wave.`),
      h('p', { class: 'govuk-body' }, link(dashboardURL({ wave }), 'Go back to the dashboard')))
    return
  }
  const ancestors = t.ancestors(g.key)
  const levelName = { department: 'Department', directorate: 'Directorate', team: 'Team' }[g.level] || g.level
  const breadcrumbs = h('nav', { class: 'govuk-breadcrumbs', 'aria-label': 'Breadcrumb' },
    h('ol', { class: 'govuk-breadcrumbs__list' },
      h('li', { class: 'govuk-breadcrumbs__list-item' }, h('a', { class: 'govuk-breadcrumbs__link', href: dashboardURL({ wave }) }, 'Dashboard')),
      ancestors.map((a) => h('li', { class: 'govuk-breadcrumbs__list-item' }, h('a', { class: 'govuk-breadcrumbs__link', href: dashboardURL({ wave, group: a.key }) }, a.name)))))

  const parts = []
  const blocks = []
  if (g.withheld) {
    parts.push(h('div', { class: 'govuk-inset-text app-withheld-notice', dataset: { withheld: 'true' } },
      `This ${levelName.toLowerCase()}'s figures are withheld in this wave: ${whyWithheld(g.reason, rep.wave.threshold)}. Nothing about it is shown, not even how many answered.`))
  } else {
    parts.push(summary(g, t, pal, wave))
    const dims = dimensionRows(rep, g)
    blocks.push(scoresBlock(dims, pal, g, wave))
    blocks.push(stagesBlock(dims, pal, g, wave))
    const gaps = dims.filter((r) => shownFig(r.fig) && r.fig.now != null && r.fig.target != null)
    blocks.push(gapBlock(gaps, g, wave))
    parts.push(
      section('scores', 'Maturity score by dimension',
        h('p', { class: 'govuk-body' }, 'The maturity score is the mean of every scored answer in a dimension, from 0 to 100, with its 95% confidence interval: the range the mean of everyone in the group would probably fall in. The stage is written beside each dimension.'),
        blocks[0].block),
      section('stages', 'Respondents at each stage',
        h('p', { class: 'govuk-body' }, 'How many respondents’ own scores sit in each stage.'),
        blocks[1].block),
      section('target', 'Target against self-rated now',
        gaps.length
          ? [h('p', { class: 'govuk-body' }, 'Where people say their team is now (self-rated now), against where they say it should be (target), from the questions that ask both. The gap is how far there is to go. A self-rated now well above the maturity score may mean the team rates itself above its practice.'), blocks[2].block]
          : h('p', { class: 'govuk-body' }, 'No dimension has enough “now and should be” answers to compare.')),
      section('pulling-down', 'Questions pulling scores down', pullingDown(dims)),
      section('next-steps', 'Next steps', nextSteps(dims, pal)))
    const skillRows = rep.skills.map((s) => ({ key: s.key, title: s.title, group: s.group, fig: g.skills && g.skills[s.key] }))
    if (skillRows.some((r) => r.fig && !r.fig.withheld)) {
      const sb = skillsBlock(skillRows, g, wave)
      blocks.push(sb)
      parts.push(section('skills', 'Skills: coverage and depth',
        h('p', { class: 'govuk-body' }, 'Coverage is the share of respondents at “working” level or above: what matters for skills everyone needs. Depth is how many are at “practitioner” or above: what matters for specialist skills, where 1 or none is a risk.'),
        sb.block))
    }
  }
  const kids = t.children(g.key)
  if (kids.length) {
    parts.push(section('parts', `Groups in ${g.name}`,
      h('ul', { class: 'govuk-list govuk-list--bullet' }, kids.map((k) => h('li', {}, link(dashboardURL({ wave, group: k.key }), k.name), k.withheld ? ' (withheld)' : '')))))
  }
  const trendHolder = h('div', { class: 'app-trend', dataset: { trend: 'loading' } }, h('p', { class: 'govuk-body' }, 'Loading the figures of earlier waves…'))
  parts.push(section('trend', 'Across waves', trendHolder))

  main.replaceChildren(
    breadcrumbs,
    ...heading(g.name, `${levelName} · ${waveCaption(rep.wave)}`),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' }, about(rep)),
      h('div', { class: 'govuk-grid-column-one-third' }, picker)),
    ...parts,
    downloads(wave, { level: 'all' }, 'this page'))
  for (const b of blocks) b.mount()

  // The trend also names the survey's waves, for the wave picker.
  try {
    const trend = await getJSON(trendURL(wave, g.key))
    picker.setWaves(trend.waves)
    trendHolder.replaceChildren(...trendContent(trend, rep, g, wave))
    trendHolder.dataset.trend = 'loaded'
  } catch (e) {
    trendHolder.replaceChildren(h('p', { class: 'govuk-body' }, `The figures of earlier waves could not be read: ${e.message}`))
    trendHolder.dataset.trend = 'failed'
  }
}

function summary (g, t, pal, wave) {
  const row = (key, ...value) => h('div', { class: 'govuk-summary-list__row' },
    h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, ...value))
  const o = g.overall
  const parent = g.parent && t.byKey.get(g.parent)
  const stage = o && !o.withheld ? stageByKey(pal, o.stage) : null
  return h('dl', { class: 'govuk-summary-list app-summary', dataset: { summary: g.key } },
    parent ? row('Part of', link(dashboardURL({ wave, group: parent.key }), parent.name)) : null,
    row('Responses', String(g.n)),
    row('Headcount', g.headcount == null ? 'Not known' : String(g.headcount)),
    row('Response rate', g.headcount_outdated
      ? `Not shown: ${g.n} responses is more than the recorded headcount of ${g.headcount}, so the headcount is out of date`
      : g.response_rate == null ? 'Not known: the headcount is not recorded' : `${percent(g.response_rate)} (${g.n} of ${g.headcount})`),
    o && !o.withheld
      ? row('Overall maturity score', `${score(o.mean)} out of 100 (95% confidence interval ${score(o.ci95[0])} to ${score(o.ci95[1])}), `, h('strong', {}, stage ? stage.label : o.stage))
      : row('Overall maturity score', 'Withheld'),
    o && !o.withheld && o.gap != null
      ? row('Gap to target', `${score(o.gap)} points: people put the team at ${score(o.now)} now (self-rated) and ${score(o.target)} where it should be (target)`)
      : null)
}

// Scores by dimension: bars coloured by stage, with error bars for the 95% confidence interval.
function scoresBlock (dims, pal, g, wave) {
  const rows = dims.filter((r) => shownFig(r.fig))
  return chartBlock({
    name: 'scores',
    title: 'scores by dimension',
    description: `Bar chart of ${g.name}'s mean score in each dimension, with 95% confidence intervals. The figures are in the table below the chart.`,
    fileName: `scores-${g.key}-${wave}`,
    build: (width) => {
      const layout = labelLayout(width)
      const option = {
        ...base(''),
        grid: { left: layout.labelWidth + 12, right: 16, top: 8, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis(layout.narrow ? 'Mean, with 95% interval' : 'Mean score, 0 to 100, with 95% confidence interval', 100, layout.narrow ? { interval: 50 } : {}),
        yAxis: categoryAxis(rows, layout, (r) => {
          const s = stageByKey(pal, r.fig.stage)
          return `{v|${score(r.fig.mean)} · ${escapeRich(s ? s.label : r.fig.stage)}}`
        }),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data && p.data.tip },
        series: [
          {
            type: 'bar',
            name: 'Mean score',
            barWidth: '55%',
            data: rows.map((r) => {
              const s = stageByKey(pal, r.fig.stage) || pal[0]
              return {
                value: r.fig.mean,
                itemStyle: { color: s.colour, borderColor: ink, borderWidth: 1 },
                tip: `${r.title}\nMean ${score(r.fig.mean)} (${s.label})\n95% CI ${score(r.fig.ci95[0])} to ${score(r.fig.ci95[1])}, n = ${r.fig.n}`
              }
            })
          },
          {
            type: 'custom',
            name: '95% confidence interval',
            silent: true,
            encode: { x: [0, 1], y: 2 },
            data: rows.map((r, i) => r.fig.ci95 && r.fig.ci95[0] != null ? [r.fig.ci95[0], r.fig.ci95[1], i] : ['-', '-', i]),
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
          }
        ]
      }
      return { option, height: rows.length * (layout.narrow ? 58 : 52) + 60 }
    },
    tableOf: () => table({
      caption: `${g.name}: scores by dimension`,
      head: ['Dimension', { content: 'Mean', numeric: true }, { content: '95% confidence interval', numeric: true }, 'Stage',
        { content: 'Median', numeric: true }, { content: 'Standard deviation', numeric: true }, { content: 'Respondents', numeric: true },
        { content: 'Cronbach’s alpha', numeric: true }],
      rows: dims.map((r) => {
        const f = r.fig
        const missing = figText(f)
        if (missing) return [r.title, { content: missing, attrs: { colspan: '7' } }]
        const s = stageByKey(pal, f.stage)
        return [r.title, { content: score(f.mean), numeric: true }, { content: `${score(f.ci95[0])} to ${score(f.ci95[1])}`, numeric: true },
          s ? s.label : f.stage, { content: score(f.median), numeric: true }, { content: score(f.sd), numeric: true },
          { content: String(f.n), numeric: true }, { content: f.alpha == null ? '–' : f.alpha.toFixed(2), numeric: true }]
      })
    })
  })
}

// Respondents at each stage: one stacked bar per dimension.
function stagesBlock (dims, pal, g, wave) {
  const rows = dims.filter((r) => shownFig(r.fig) && r.fig.stages)
  const maxN = Math.max(1, ...rows.map((r) => pal.reduce((sum, s) => sum + (r.fig.stages[s.key] || 0), 0)))
  return chartBlock({
    name: 'stages',
    title: 'respondents at each stage',
    description: `Stacked bar chart of how many of ${g.name}'s respondents sit in each stage, by dimension. The figures are in the table below the chart.`,
    fileName: `stages-${g.key}-${wave}`,
    build: (width) => {
      const layout = labelLayout(width)
      const plotWidth = width - layout.labelWidth - 28
      const legendRows = layout.narrow ? Math.ceil(pal.length / 2) : 1
      const top = 12 + legendRows * 22
      const option = {
        ...base(''),
        legend: { top: 0, left: 0, itemWidth: 16, itemHeight: 12, selectedMode: false, textStyle: { color: ink, fontSize: 12 }, data: pal.map((s) => s.label) },
        grid: { left: layout.labelWidth + 12, right: 16, top: top + 8, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis('Respondents', maxN, { minInterval: 1 }),
        yAxis: categoryAxis(rows, layout, (r) => `{t|${r.fig.n} respondents}`),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => `${p.data.tip}` },
        series: pal.map((s) => ({
          type: 'bar',
          name: s.label,
          stack: 'respondents',
          barWidth: '55%',
          itemStyle: { color: s.colour, borderColor: ink, borderWidth: 0.5 },
          data: rows.map((r) => {
            const count = r.fig.stages[s.key] || 0
            return {
              value: count,
              tip: `${r.title}\n${s.label}: ${plural(count, 'respondent', 'respondents')}`,
              label: { show: count > 0 && (count / maxN) * plotWidth >= 16, color: s.text, formatter: String(count) }
            }
          })
        }))
      }
      return { option, height: top + rows.length * (layout.narrow ? 58 : 52) + 60 }
    },
    tableOf: () => table({
      caption: `${g.name}: respondents at each stage`,
      head: ['Dimension', ...pal.map((s) => ({ content: `${s.label} (${s.from} to ${s.to})`, numeric: true })), { content: 'All', numeric: true }],
      rows: dims.map((r) => {
        const missing = figText(r.fig)
        if (missing) return [r.title, { content: missing, attrs: { colspan: String(pal.length + 1) } }]
        return [r.title, ...pal.map((s) => ({ content: String(r.fig.stages[s.key] || 0), numeric: true })), { content: String(r.fig.n), numeric: true }]
      })
    })
  })
}

// Target against self-rated now: a pair of bars per dimension, with the gap beside the name.
function gapBlock (rows, g, wave) {
  return chartBlock({
    name: 'target',
    title: 'target against self-rated now',
    description: `Bar chart pairing where ${g.name}'s respondents put their team now with where they say it should be, in each dimension. The figures are in the table below the chart.`,
    fileName: `target-${g.key}-${wave}`,
    build: (width) => {
      const layout = labelLayout(width)
      const now = (r) => r.fig.now
      const option = {
        ...base(''),
        legend: { top: 0, left: 0, selectedMode: false, itemWidth: 18, itemHeight: 12, textStyle: { color: ink, fontSize: 12 } },
        grid: { left: layout.labelWidth + 12, right: 40, top: layout.narrow ? 56 : 36, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis('Score, 0 to 100', 100, layout.narrow ? { interval: 50 } : {}),
        yAxis: categoryAxis(rows, layout, (r) => `{v|Gap ${score(r.fig.gap)}}`),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data.tip },
        series: [
          {
            type: 'bar',
            name: 'Self-rated now',
            barGap: '15%',
            itemStyle: { color: blue, borderColor: blue, borderWidth: 2 },
            label: { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => score(p.value) },
            data: rows.map((r) => ({ value: now(r), tip: `${r.title}\nNow: ${score(now(r))}\nGap: ${score(r.fig.gap)}` }))
          },
          {
            type: 'bar',
            name: 'Target (should be)',
            itemStyle: { color: paper, borderColor: blue, borderWidth: 2 },
            label: { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => score(p.value) },
            data: rows.map((r) => ({ value: r.fig.target, tip: `${r.title}\nTarget: ${score(r.fig.target)}\nGap: ${score(r.fig.gap)}` }))
          }
        ]
      }
      return { option, height: (layout.narrow ? 56 : 36) + rows.length * (layout.narrow ? 64 : 58) + 56 }
    },
    tableOf: () => table({
      caption: `${g.name}: target against self-rated now`,
      head: ['Dimension', { content: 'Maturity score', numeric: true }, { content: 'Self-rated now', numeric: true }, { content: 'Target', numeric: true },
        { content: 'Gap', numeric: true }],
      rows: rows.map((r) => [r.title, { content: score(r.fig.mean), numeric: true }, { content: score(r.fig.now), numeric: true }, { content: score(r.fig.target), numeric: true },
        { content: score(r.fig.gap), numeric: true }])
    })
  })
}

function pullingDown (dims) {
  const rows = []
  for (const r of dims) {
    if (r.key === 'overall' || !shownFig(r.fig) || !r.fig.pulling_down) continue
    for (const q of r.fig.pulling_down) rows.push([r.title, q.text, { content: score(q.mean), numeric: true }])
  }
  if (!rows.length) return h('p', { class: 'govuk-body' }, 'No question sits clearly below its dimension’s mean.')
  return [
    h('p', { class: 'govuk-body' }, 'The questions with the lowest mean scores, below their dimension’s mean: why the group sits where it does.'),
    table({ caption: 'Questions pulling scores down', head: ['Dimension', 'Question', { content: 'Mean score', numeric: true }], rows })
  ]
}

// nextSteps says, per dimension, what the group could do next from its stage: the survey's guidance,
// and for the questions pulling the dimension down, what the level above the group's answers looks like.
function nextSteps (dims, pal) {
  const withNext = dims.filter((r) => r.key !== 'overall' && shownFig(r.fig) && r.fig.next)
  if (!withNext.length) return h('p', { class: 'govuk-body' }, 'The survey gives no next steps for these figures.')
  return [
    h('p', { class: 'govuk-body' }, 'From where the group sits in each dimension: what teams at that stage can do next, and what a step up looks like on the questions holding it back.'),
    withNext.map((r) => {
      const stage = stageByKey(pal, r.fig.stage)
      return h('div', { class: 'app-next-step', dataset: { next: r.key } },
        h('h3', { class: 'govuk-heading-s' }, `${r.title}: ${stage ? stage.label : r.fig.stage}`),
        r.fig.next.text ? h('p', { class: 'govuk-body' }, r.fig.next.text) : null,
        (r.fig.next.links || []).length
          ? h('ul', { class: 'govuk-list' }, r.fig.next.links.filter((l) => /^https:\/\//.test(l.url)).map((l) =>
            h('li', {}, h('a', { class: 'govuk-link', href: l.url, rel: 'noreferrer noopener' }, l.title))))
          : null,
        (r.fig.next.questions || []).length
          ? h('ul', { class: 'govuk-list govuk-list--bullet' }, r.fig.next.questions.map((q) =>
            h('li', {}, h('span', { class: 'govuk-!-font-weight-bold' }, q.text), ` A step up: ${q.next_level}`)))
          : null)
    })
  ]
}

// Skills: coverage and the share meeting the level their role needs, with depth beside each name.
function skillsBlock (skillRows, g, wave) {
  const rows = skillRows.filter((r) => r.fig && !r.fig.withheld)
  const depthText = (r) => `${r.group === 'specialist' ? 'Specialist' : 'Everyone'} · depth ${r.fig.depth}`
  return chartBlock({
    name: 'skills',
    title: 'skills coverage and depth',
    description: `Bar chart of the share of ${g.name}'s respondents at working level or above in each skill, and the share meeting the level their role needs; depth risks are named beside each skill. The figures are in the table below the chart.`,
    fileName: `skills-${g.key}-${wave}`,
    build: (width) => {
      const layout = labelLayout(width)
      const option = {
        ...base(''),
        legend: { top: 0, left: 0, selectedMode: false, itemWidth: 18, itemHeight: 12, textStyle: { color: ink, fontSize: 12 } },
        grid: { left: layout.labelWidth + 12, right: 44, top: layout.narrow ? 56 : 36, bottom: 44, outerBoundsMode: 'none' },
        xAxis: valueAxis('Share of respondents', 1, { interval: layout.narrow ? 0.5 : 0.2, axisLabel: { color: ink, formatter: (v) => percent(v) } }),
        yAxis: categoryAxis(rows, layout, (r) => r.fig.depth_risk ? `{t|${depthText(r)}} {r|⚠ at risk}` : `{t|${depthText(r)}}`),
        tooltip: { ...base().tooltip, trigger: 'item', formatter: (p) => p.data.tip },
        series: [
          {
            type: 'bar',
            name: 'Working level or above (coverage)',
            barGap: '15%',
            itemStyle: { color: blue },
            label: { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => percent(p.value) },
            data: rows.map((r) => ({ value: r.fig.coverage, tip: `${r.title}\nCoverage ${percent(r.fig.coverage)}\nDepth ${r.fig.depth}${r.fig.depth_risk ? ' (at risk)' : ''}` }))
          },
          {
            type: 'bar',
            name: 'Meets the level their role needs',
            itemStyle: { color: green },
            label: { show: true, position: 'right', color: ink, fontSize: 12, formatter: (p) => p.value == null ? '' : percent(p.value) },
            data: rows.map((r) => ({ value: r.fig.meets_expected ?? '-', tip: `${r.title}\nMeets the level their role needs: ${percent(r.fig.meets_expected)}` }))
          }
        ]
      }
      return { option, height: (layout.narrow ? 56 : 36) + rows.length * (layout.narrow ? 70 : 62) + 56 }
    },
    tableOf: () => table({
      caption: `${g.name}: skills`,
      head: ['Skill', 'Needed by', { content: 'Coverage (working or above)', numeric: true }, { content: 'Depth (practitioner or above)', numeric: true },
        'Depth risk', { content: 'Meets the level their role needs', numeric: true }, { content: 'Respondents', numeric: true }],
      rows: skillRows.map((r) => {
        if (!r.fig || r.fig.withheld) return [r.title, { content: r.fig ? 'Withheld' : 'No answers', attrs: { colspan: '6' } }]
        return [r.title, r.group === 'specialist' ? 'Specialists' : 'Everyone', { content: percent(r.fig.coverage), numeric: true },
          { content: String(r.fig.depth), numeric: true },
          r.fig.depth_risk ? tag('Depth risk', 'red') : 'No',
          { content: percent(r.fig.meets_expected), numeric: true }, { content: String(r.fig.n), numeric: true }]
      })
    })
  })
}

// The trend: one line per figure across the waves, significant changes ringed and labelled.
function trendContent (trend, rep, g, wave) {
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
    description: `Line charts of ${g.name}'s mean scores in each wave up to this one, one for each dimension and one overall. Ringed points are significant changes from the wave before. The figures are in the table below the chart.`,
    fileName: `trend-${g.key}-${wave}`,
    // Small multiples: a panel per figure on a shared scale, so no line hides another and each
    // significant change can carry its own label.
    build: (width) => {
      const narrow = width < narrowWidth
      const cols = narrow ? 1 : 2
      const panelW = (width - (cols - 1) * 32) / cols
      const panelH = narrow ? 150 : 170
      const gap = 58
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
          axisLabel: { color: ink, interval: 0, fontSize: 11, formatter: (v) => wrapText(v, Math.max(8, Math.floor((panelW - 56) / waves.length / 6.2)), 2) },
          axisLine: { lineStyle: { color: ink } }, axisTick: { alignWithLabel: true }
        })
        yAxis.push({
          gridIndex: i, type: 'value', min: lo, max: hi, interval,
          name: wrapText(names.get(k), Math.floor(panelW / 7.4), 1), nameLocation: 'end', nameGap: 14,
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
        { content: w.withheld ? 'Withheld' : String(w.n ?? '–'), numeric: true },
        ...keys.map((k) => {
          const f = figOf(w, k)
          if (w.withheld || isWithheld(w, k)) return { content: 'Withheld', numeric: true }
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

function isWithheld (w, key) {
  const f = key === 'overall' ? w.overall : w.dimensions && w.dimensions[key]
  return !!(f && f.withheld)
}

