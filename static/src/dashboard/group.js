// A group's page: what each stage means, its figures by dimension (withheld ones in place, with
// why), the share of respondents at each stage with its n, the maturity score beside the
// self-rated now and the target, the next steps for each dimension, comments where the group is
// big enough, skills, a comparison with another group and its trend across waves. Each chart has a
// table of the same figures under it. &view=summary gives a one-page summary to print (summary.js).
import { dashboardURL, trendURL, getJSON } from './api.js'
import { h, link } from './dom.js'
import { percent, score, today, whyWithheld } from './format.js'
import { focusOnTrend, focusSection } from './focus.js'
import { dimensionRows, nowBlock, scoresBlock, skillsBlock, stagesBlock } from './groupcharts.js'
import { commentsSection, compareSection, nextSteps, pullingDown, stageMeanings } from './grouptext.js'
import { about, downloads, heading, problem, section, waveCaption } from './page.js'
import { stageByKey } from './stages.js'
import { summaryPage } from './summary.js'
import { tree } from './tree.js'
import { trendContent } from './trend.js'

const levelNames = { department: 'Department', directorate: 'Directorate', team: 'Team' }

// thresholdNote is what every saved chart and printed page says about what is left out.
export function thresholdNote (wave) {
  return `Figures for groups of fewer than ${wave.threshold} people are withheld, and so is any figure that would let someone work out a withheld one. ` +
    `Source: digital skills and maturity survey, ${wave.title || wave.key}${wave.state === 'open' ? ' (still open: figures may change)' : ''}.`
}

export async function groupPage (main, rep, pal, picker, groupKey) {
  const wave = rep.wave.key
  const params = new URLSearchParams(window.location.search)
  const t = tree(rep.groups)
  const g = t.byKey.get(groupKey)
  if (!g) {
    main.replaceChildren(...heading('Group not found', waveCaption(rep.wave)),
      problem('There is no such group in this wave', `No team, directorate or department has the key “${groupKey}” in this wave.`),
      h('p', { class: 'govuk-body' }, link(dashboardURL({ wave }), 'Go back to the dashboard')))
    return
  }
  const levelName = levelNames[g.level] || g.level
  if (params.get('view') === 'summary') {
    summaryPage(main, rep, pal, g, levelName)
    return
  }
  const ancestors = t.ancestors(g.key)
  const breadcrumbs = h('nav', { class: 'govuk-breadcrumbs', 'aria-label': 'Breadcrumb' },
    h('ol', { class: 'govuk-breadcrumbs__list' },
      h('li', { class: 'govuk-breadcrumbs__list-item' }, h('a', { class: 'govuk-breadcrumbs__link', href: dashboardURL({ wave }) }, 'Dashboard')),
      ancestors.map((a) => h('li', { class: 'govuk-breadcrumbs__list-item' }, h('a', { class: 'govuk-breadcrumbs__link', href: dashboardURL({ wave, group: a.key }) }, a.name)))))

  // What a saved chart says of itself.
  const share = { group: `${g.name} (${levelName.toLowerCase()})`, wave: waveCaption(rep.wave), waveKey: wave, threshold: rep.wave.threshold, note: thresholdNote(rep.wave) }
  const parts = []
  const blocks = []
  const later = []
  if (g.withheld) {
    parts.push(h('div', { class: 'govuk-inset-text app-withheld-notice', dataset: { withheld: 'true' } },
      `This ${levelName.toLowerCase()}'s figures are withheld in this wave: ${whyWithheld(g.reason, rep.wave.threshold)}. Nothing about it is shown, not even how many answered.`))
  } else {
    parts.push(summary(g, t, pal, wave), printLink(wave, g))
    const dims = dimensionRows(rep, g)
    const scores = scoresBlock(dims, pal, g, share)
    const stages = stagesBlock(dims, pal, g, share)
    const now = nowBlock(dims, g, share)
    blocks.push(scores, stages, now)
    const k = rep.wave.threshold
    parts.push(
      section('stage-meanings', 'What each stage means',
        h('p', { class: 'govuk-body' }, 'Every score runs from 0 to 100 and falls in one of these stages, from the survey’s own definition. A group’s stage is the stage of its maturity score.'),
        stageMeanings(pal)),
      section('scores', 'Maturity score by dimension',
        h('p', { class: 'govuk-body' }, `The maturity score is the mean of every scored answer in a dimension, from 0 to 100, with its 95% confidence interval: the range the mean of everyone in the group would probably fall in. The stage is written beside each dimension. A withheld figure keeps its place, hatched, with the reason: fewer than ${k} people answered it, it would let someone work out a smaller group, or it waits for more answers while the wave is open.`),
        scores.block),
      section('stages', 'Share of respondents at each stage',
        h('p', { class: 'govuk-body' }, 'Of the people who answered each dimension, the share whose own score sits in each stage (see what each stage means, above). Each bar adds up to 100%, and n is how many answered, so a dimension fewer people answered is not made to look worse.'),
        stages.block),
      section('target', 'Maturity score, self-rated now and target',
        h('p', { class: 'govuk-body', dataset: { why: 'now' } }, 'The maturity score is the mean of all the dimension’s answers, about what the team does; the self-rated now is what people said when asked where their team is now, and the target where they said it should be, from the questions that ask both. They differ when people rate their team above (or below) what their answers about its practice show.'),
        now.block),
      section('pulling-down', 'Questions pulling scores down', pullingDown(dims)),
      section('next-steps', 'Next steps', nextSteps(dims, pal, k)),
      focusSection(wave, g.key, rep.dimensions.map((d) => ({ key: d.key, title: d.title }))))
    const skillRows = rep.skills.map((s) => ({ key: s.key, title: s.title, group: s.group, fig: g.skills && g.skills[s.key] }))
    if (skillRows.some((r) => r.fig && !r.fig.withheld)) {
      const sb = skillsBlock(skillRows, g, share)
      blocks.push(sb)
      parts.push(section('skills', 'Skills: coverage and depth',
        h('p', { class: 'govuk-body' }, 'Coverage is the share of respondents at “working” level or above: what matters for skills everyone needs. Depth is how many are at “practitioner” or above: what matters for specialist skills, where 1 or none is a risk.'),
        sb.block))
    }
    const comments = h('div', { class: 'app-comments-block', dataset: { state: 'loading' } }, h('p', { class: 'govuk-body' }, 'Loading the comments…'))
    parts.push(section('comments', 'Comments', comments))
    later.push(commentsSection(comments, rep, g))
    parts.push(section('compare', 'Compare with another group', compareSection(rep, g, params.get('compare'))))
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
    downloads(wave, { level: 'all' }, 'this page'),
    h('p', { class: 'govuk-body app-print-only' }, `Printed on ${today()}. ${thresholdNote(rep.wave)}`))
  for (const b of blocks) b.mount()

  // The trend also names the survey's waves, for the wave picker.
  later.push((async () => {
    try {
      const trend = await getJSON(trendURL(wave, g.key))
      picker.setWaves(trend.waves)
      trendHolder.replaceChildren(...trendContent(trend, rep, g, share), focusOnTrend(trend) || '')
      trendHolder.dataset.trend = 'loaded'
    } catch (e) {
      trendHolder.replaceChildren(h('p', { class: 'govuk-body' }, `The figures of earlier waves could not be read: ${e.message}`))
      trendHolder.dataset.trend = 'failed'
    }
  })())
  await Promise.all(later)
}

function printLink (wave, g) {
  return h('p', { class: 'govuk-body app-no-print' },
    link(dashboardURL({ wave, group: g.key, view: 'summary' }), 'Print a summary', h('span', { class: 'govuk-visually-hidden' }, ` of ${g.name}`)),
    ' (one A4 page: key figures, stages, gaps and next steps)')
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
      ? row('Self-rated now and target', `People put the team at ${score(o.now)} now (self-rated) and ${score(o.target)} where it should be (target): a gap of ${score(o.gap)} points`)
      : null)
}
