// The words of a group's page: what each stage means, the next steps for each dimension, the
// questions pulling scores down, the comments, and a comparison with another group.
import { dashboardURL, getJSON, reportURL } from './api.js'
import { details, h, link, table } from './dom.js'
import { score } from './format.js'
import { stageByKey } from './stages.js'
import { missing, shownFig } from './groupcharts.js'

const range = (s) => `${s.from} to ${s.to === 100 ? '100' : `under ${s.to}`}`

// stageMeanings says what each stage of the scale means, from the survey's definition.
export function stageMeanings (pal) {
  return table({
    caption: 'What each stage means',
    head: ['Stage', { content: 'Maturity score', numeric: true }, 'What it means'],
    rows: pal.map((s) => ({ attrs: { 'data-stage': s.key }, cells: [s.label, { content: range(s), numeric: true }, s.description || '–'] })),
    small: true
  })
}

// stageSentence names a figure's stage with what it means.
export function stageSentence (pal, f) {
  const s = stageByKey(pal, f.stage)
  if (!s) return f.stage
  return s.description ? `${s.label}: ${s.description}` : s.label
}

// pullingDown lists the questions with the lowest means, below their dimension's.
export function pullingDown (dims) {
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

// nextSteps says, for each dimension, where the group is and what it could do next: the survey's
// guidance for its stage, and for each question holding it back, what the next level up looks like.
export function nextSteps (dims, pal, k) {
  const rows = dims.filter((r) => r.key !== 'overall' && r.fig)
  if (!rows.length) return h('p', { class: 'govuk-body' }, 'There are no figures to suggest next steps from.')
  return [
    h('p', { class: 'govuk-body' }, 'For each dimension: where the group is now, what teams at that stage can do next, and what one step up looks like on the questions holding it back.'),
    rows.map((r) => {
      const f = r.fig
      const head = h('h3', { class: 'govuk-heading-s' }, r.title)
      if (!shownFig(f)) {
        return h('div', { class: 'app-next-step', dataset: { next: r.key, withheld: f.withheld ? f.reason : 'none' } }, head,
          h('p', { class: 'govuk-body' }, `${missing(f, k)}, so there are no next steps to suggest for it.`))
      }
      const means = new Map((f.pulling_down || []).map((q) => [q.question, q.mean]))
      const next = f.next || {}
      const questions = next.questions || []
      return h('div', { class: 'app-next-step', dataset: { next: r.key } }, head,
        h('p', { class: 'govuk-body' }, `Maturity score ${score(f.mean)}, stage `, h('strong', {}, stageSentence(pal, f))),
        next.text ? h('p', { class: 'govuk-body' }, h('span', { class: 'govuk-!-font-weight-bold' }, 'What to do next: '), next.text) : h('p', { class: 'govuk-body' }, 'The survey gives no guidance for this stage.'),
        (next.links || []).length
          ? h('ul', { class: 'govuk-list' }, next.links.filter((l) => /^https:\/\//.test(l.url)).map((l) =>
            h('li', {}, h('a', { class: 'govuk-link', href: l.url, rel: 'noreferrer noopener' }, l.title))))
          : null,
        questions.length
          ? [h('p', { class: 'govuk-body' }, questions.length === 1 ? 'The question holding it back:' : 'The questions holding it back:'),
              h('ul', { class: 'govuk-list govuk-list--bullet' }, questions.map((q) =>
                h('li', { dataset: { question: q.question } }, h('span', { class: 'govuk-!-font-weight-bold' }, q.text), ' ',
                  means.has(q.question) ? `The group averages ${score(means.get(q.question))}. ` : '',
                  `One step up: “${q.next_level}”`)))]
          : null)
    })
  ]
}

// commentsSection reads the group's comments (a report narrowed to the group, with comments) and
// shows them under each question, or says why there are none.
export async function commentsSection (holder, rep, g) {
  const k2 = rep.wave.comment_threshold || 2 * rep.wave.threshold
  const rule = h('p', { class: 'govuk-body', dataset: { commentRule: String(k2) } },
    `Comments appear only for groups where at least ${k2} people (twice the threshold of ${rep.wave.threshold}) wrote one, shuffled and without dates, so nobody can be picked out by what or when they wrote.`)
  let body
  try {
    const url = `${reportURL(rep.wave.key, { level: 'all' })}&group=${encodeURIComponent(g.key)}&comments=true`
    const withComments = await getJSON(url)
    const mine = withComments.groups.find((x) => x.key === g.key)
    const questions = withComments.comment_questions || []
    const shown = questions.filter((q) => mine && mine.comments && (mine.comments[q.question] || []).length)
    if (!shown.length) {
      body = h('p', { class: 'govuk-body', dataset: { comments: '0' } }, `There are too few comments from ${g.name} to show.`)
    } else {
      body = shown.map((q) => {
        const texts = mine.comments[q.question]
        const list = (items) => h('ul', { class: 'govuk-list app-comments' }, items.map((t) => h('li', { class: 'app-comment' }, t)))
        return h('div', { class: 'app-comment-question', dataset: { comments: String(texts.length), question: q.question } },
          h('h3', { class: 'govuk-heading-s' }, q.text),
          h('p', { class: 'govuk-body' }, `${texts.length} comments, in no particular order.`),
          list(texts.slice(0, 10)),
          texts.length > 10
            ? details(`Show ${texts.length - 10} more comments`, list(texts.slice(10)))
            : null)
      })
    }
  } catch (e) {
    body = h('p', { class: 'govuk-body', dataset: { comments: 'refused' } }, e.code === 'comments_not_granted'
      ? 'Your account may read figures but not comments. Ask an administrator if you need them.'
      : `The comments could not be read: ${e.message}`)
  }
  holder.replaceChildren(rule, ...[body].flat())
  holder.dataset.state = 'ready'
}

// compareSection offers every other group the reader may see, and with one chosen (?compare=KEY)
// sets their figures side by side; a withheld figure stays withheld, with its reason.
export function compareSection (rep, g, otherKey) {
  const wave = rep.wave.key
  const k = rep.wave.threshold
  const others = rep.groups.filter((x) => x.key !== g.key && !x.withheld)
  const other = others.find((x) => x.key === otherKey) || null
  const form = h('form', { method: 'get', action: '/dashboard', class: 'app-compare-form' },
    h('input', { type: 'hidden', name: 'wave', value: wave }),
    h('input', { type: 'hidden', name: 'group', value: g.key }),
    h('div', { class: 'govuk-form-group' },
      h('label', { class: 'govuk-label', for: 'compare-with' }, 'Compare with'),
      h('select', { class: 'govuk-select', id: 'compare-with', name: 'compare' },
        others.map((x) => h('option', { value: x.key, selected: other && x.key === other.key }, `${x.name}${levelNote(x)}`)))),
    h('button', { type: 'submit', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button' }, 'Compare'))
  if (!others.length) return [h('p', { class: 'govuk-body' }, 'There is no other group with figures to compare with.')]
  const out = [h('p', { class: 'govuk-body' }, 'Set this group’s figures beside any other group you may see: a team beside its directorate or the department, say.'), form]
  if (other) {
    const rows = [['overall', 'Overall'], ...rep.dimensions.map((d) => [d.key, d.title])]
    const fig = (x, key) => key === 'overall' ? x.overall : x.dimensions && x.dimensions[key]
    const cell = (f, what) => {
      if (missing(f, k)) return { content: missing(f, k), classes: 'app-cell--withheld' }
      const v = f[what]
      return { content: v == null ? 'Not asked' : score(v), numeric: true }
    }
    out.push(table({
      caption: `${g.name} compared with ${other.name}`,
      head: ['Dimension', { content: `${g.name}: maturity score`, numeric: true }, { content: `${other.name}: maturity score`, numeric: true },
        { content: `${g.name}: gap`, numeric: true }, { content: `${other.name}: gap`, numeric: true }],
      rows: rows.map(([key, title]) => ({
        attrs: { 'data-dimension': key },
        cells: [title, cell(fig(g, key), 'mean'), cell(fig(other, key), 'mean'), cell(fig(g, key), 'gap'), cell(fig(other, key), 'gap')]
      })),
      small: true
    }))
    out.push(h('p', { class: 'govuk-body' }, link(dashboardURL({ wave, group: other.key }), `Open ${other.name}’s page`)))
  }
  return out
}

function levelNote (x) {
  return x.level === 'department' ? ' (department)' : x.level === 'directorate' ? ' (directorate)' : ''
}
