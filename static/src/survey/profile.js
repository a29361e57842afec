// The respondent's own profile from the receipt: a stage for each dimension, drawn as plain HTML
// bars (the bar lengths are set through element.style, which the Content-Security-Policy allows),
// with every figure also written as text beside its bar and again in a table.

import { h, details } from '../shared/dom.js'

function stageOf (survey, key) {
  return survey.scale.stages.find((s) => s.key === key) || null
}

function scoreText (score) {
  return `${Number(score).toLocaleString('en-GB', { maximumFractionDigits: 1 })} out of 100`
}

function row (survey, title, result, overall) {
  const stage = result && result.stage ? stageOf(survey, result.stage) : null
  const has = result && typeof result.score === 'number'
  const bar = h('span', { class: 'app-profile__bar' })
  if (has) bar.style.width = `${Math.max(0, Math.min(100, result.score))}%`
  const track = h('span', { class: 'app-profile__track', 'aria-hidden': 'true' }, bar)
  for (const s of survey.scale.stages.slice(1)) {
    const tick = h('span', { class: 'app-profile__tick' })
    tick.style.left = `${s.from}%`
    track.append(tick)
  }
  return h('li', { class: ['app-profile__row', overall && 'app-profile__row--overall'] },
    h('span', { class: 'app-profile__label' }, title),
    h('span', { class: 'app-profile__value' },
      has
        ? [h('strong', {}, stage ? stage.label : result.stage), ` (${scoreText(result.score)})`]
        : 'Not enough answers to give a stage'),
    track)
}

function axis (survey) {
  const el = h('div', { class: 'app-profile__axis', 'aria-hidden': 'true' })
  for (const s of survey.scale.stages) {
    const label = h('span', { class: 'app-profile__axis-label' }, s.label)
    label.style.left = `${s.from}%`
    el.append(label)
  }
  return el
}

function table (survey, receipt) {
  const line = (title, result) => {
    const stage = result && result.stage ? stageOf(survey, result.stage) : null
    const has = result && typeof result.score === 'number'
    return h('tr', { class: 'govuk-table__row' },
      h('th', { scope: 'row', class: 'govuk-table__header' }, title),
      h('td', { class: 'govuk-table__cell' }, has ? (stage ? stage.label : result.stage) : 'No stage: not enough answers'),
      h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, has ? String(result.score) : '\u2013'))
  }
  return h('table', { class: 'govuk-table app-profile__table' },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, 'Your stage and score in each area, from 0 (Aspiration) to 100 (Reality)'),
    h('thead', { class: 'govuk-table__head' },
      h('tr', { class: 'govuk-table__row' },
        h('th', { scope: 'col', class: 'govuk-table__header' }, 'Area'),
        h('th', { scope: 'col', class: 'govuk-table__header' }, 'Stage'),
        h('th', { scope: 'col', class: 'govuk-table__header govuk-table__header--numeric' }, 'Score out of 100'))),
    h('tbody', { class: 'govuk-table__body' },
      line('Overall', receipt.overall),
      survey.dimensions.map((d) => line(d.title, receipt.dimensions ? receipt.dimensions[d.key] : null))))
}

// nextSteps says, for each area with a stage, what could come next: the survey's guidance for that
// stage, and for the answers that held the score down, what the next level up looks like.
function nextSteps (survey, receipt) {
  const areas = survey.dimensions.map((d) => ({ d, next: receipt.dimensions && receipt.dimensions[d.key] && receipt.dimensions[d.key].next }))
    .filter((a) => a.next)
  if (!areas.length) return null
  return h('div', { class: 'app-next-steps', 'data-next-steps': 'true' },
    h('h2', { class: 'govuk-heading-l' }, 'What could come next'),
    h('p', { class: 'govuk-body' }, 'Ideas to talk over with your team, from where your answers place it.'),
    areas.map(({ d, next }) => h('div', { class: 'app-next-step' },
      h('h3', { class: 'govuk-heading-m' }, d.title),
      next.text ? h('p', { class: 'govuk-body' }, next.text) : null,
      next.links && next.links.length
        ? h('ul', { class: 'govuk-list' }, next.links.filter((l) => /^https:\/\//.test(l.url)).map((l) =>
          h('li', {}, h('a', { class: 'govuk-link', href: l.url, rel: 'noreferrer noopener', target: '_blank' }, `${l.title} (opens in new tab)`))))
        : null,
      next.questions && next.questions.length
        ? [h('p', { class: 'govuk-body' }, 'A step up from your answers:'),
            h('ul', { class: 'govuk-list govuk-list--bullet' }, next.questions.map((q) =>
              h('li', {}, h('span', { class: 'govuk-!-font-weight-bold' }, q.text), ' ', q.next_level)))]
        : null)))
}

// profile is the confirmation page's profile section.
export function profile (survey, receipt) {
  const stages = survey.scale.stages
  return h('div', { class: 'app-profile' },
    h('h2', { class: 'govuk-heading-l' }, 'Your digital maturity profile'),
    h('p', { class: 'govuk-body' },
      `This is where your own answers place your team on the scale from ${stages[0].label} to ${stages[stages.length - 1].label}. ` +
      'It is only your view: your team\u2019s results combine the answers of everyone in it.'),
    h('figure', { class: 'app-profile__figure', 'aria-labelledby': 'profile-caption' },
      h('figcaption', { class: 'govuk-heading-s', id: 'profile-caption' }, 'Your stage in each area, with its score from 0 to 100'),
      h('ul', { class: 'govuk-list app-profile__list' },
        row(survey, 'Overall', receipt.overall, true),
        survey.dimensions.map((d) => row(survey, d.title, receipt.dimensions ? receipt.dimensions[d.key] : null, false))),
      axis(survey)),
    details('Show your profile as a table', table(survey, receipt)),
    details('What the stages mean',
      h('dl', { class: 'govuk-summary-list' },
        stages.map((s, i) => h('div', { class: 'govuk-summary-list__row' },
          h('dt', { class: 'govuk-summary-list__key' }, s.label),
          h('dd', { class: 'govuk-summary-list__value' },
            `Scores from ${s.from}${i + 1 < stages.length ? ` to under ${stages[i + 1].from}` : ' to 100'}. `,
            s.description || ''))))),
    nextSteps(survey, receipt))
}
