// Focus areas: after a wave's figures, a group chooses up to three dimensions to work on, each with
// a short note of what it will do (a record of the team, never linked to any answer). The group
// page shows them, lets an admin or the group's lead choose them, and the trend shows what moved
// in the wave after.
import { APIError, errorOf, getJSON, request, session, waveURL } from '../shared/api.js'
import { h, uid } from './dom.js'
import { score } from './format.js'

const maxAreas = 3
const maxNote = 500

function focusURL (wave, group) {
  return waveURL(wave, `groups/${encodeURIComponent(group)}/focus-areas`)
}

// focusSection is the group page's "Focus areas" section: what the group chose after this wave,
// and for those who may choose, a form to choose again. dimensions: [{key, title}].
export function focusSection (wave, group, dimensions) {
  const body = h('div', { class: 'app-focus__body' }, h('p', { class: 'govuk-body' }, 'Loading the focus areas…'))
  const section = h('section', { class: 'app-section app-focus', dataset: { section: 'focus' }, 'aria-labelledby': 'focus-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'focus-heading' }, 'Focus areas'),
    h('p', { class: 'govuk-body' }, 'Up to three dimensions this group has chosen to work on after this wave, with what it will do. The next wave’s trend shows what moved.'),
    body)
  const show = (focus, errors, attempt) => body.replaceChildren(...focusContent(wave, group, dimensions, focus, errors, attempt, show))
  getJSON(focusURL(wave, group)).then((focus) => show(focus, null, null)).catch((e) => {
    body.replaceChildren(h('p', { class: 'govuk-body' }, `The focus areas could not be shown: ${e.message}`))
  })
  return section
}

function focusContent (wave, group, dimensions, focus, errors, attempt, show) {
  const out = []
  if (focus.areas.length === 0) {
    out.push(h('p', { class: 'govuk-body', dataset: { focusCount: '0' } }, 'No focus areas have been chosen for this wave.'))
  } else {
    out.push(h('ol', { class: 'govuk-list govuk-list--number', dataset: { focusCount: String(focus.areas.length) } },
      focus.areas.map((a) => h('li', { dataset: { focus: a.dimension } }, h('strong', {}, a.title),
        a.note ? ` – ${a.note}` : '', h('span', { class: 'govuk-body-s app-focus__date' }, ` (chosen ${a.chosen_on})`)))))
  }
  if (focus.may_change) out.push(focusForm(wave, group, dimensions, focus, errors, attempt, show))
  return out
}

// focusForm lets an admin or the group's lead choose the focus areas: a checkbox per dimension,
// each with its note, at most three, sent with the session's CSRF token. After a refusal it keeps
// what was chosen (attempt), not what is stored.
function focusForm (wave, group, dimensions, focus, errors, attempt, show) {
  const chosen = new Map((attempt || focus.areas).map((a) => [a.dimension, a.note]))
  const summary = errors && errors.length
    ? h('div', { class: 'govuk-error-summary', dataset: { module: 'govuk-error-summary' }, tabindex: '-1' },
        h('div', { role: 'alert' },
          h('h3', { class: 'govuk-error-summary__title' }, 'There is a problem'),
          h('div', { class: 'govuk-error-summary__body' },
            h('ul', { class: 'govuk-list govuk-error-summary__list' }, errors.map((m) => h('li', {}, h('a', { href: '#focus-choices' }, m)))))))
    : null
  const items = dimensions.map((d) => {
    const id = uid('focus')
    const note = h('textarea', { class: 'govuk-textarea', id: `${id}-note`, name: `note-${d.key}`, rows: '2', maxlength: String(maxNote) })
    note.value = chosen.get(d.key) || ''
    const box = h('input', { class: 'govuk-checkboxes__input', id, type: 'checkbox', name: 'dimension', value: d.key, 'aria-controls': `${id}-conditional` })
    box.checked = chosen.has(d.key)
    const conditional = h('div', { class: 'govuk-checkboxes__conditional', id: `${id}-conditional` },
      h('div', { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label', for: `${id}-note` }, `What will the group do about ${d.title.toLowerCase()}? (optional)`),
        note))
    conditional.hidden = !box.checked
    box.addEventListener('change', () => { conditional.hidden = !box.checked })
    return [h('div', { class: 'govuk-checkboxes__item' }, box, h('label', { class: 'govuk-label govuk-checkboxes__label', for: id }, d.title)), conditional]
  })
  const form = h('form', { class: 'app-focus__form', novalidate: '' },
    summary,
    h('div', { class: `govuk-form-group${summary ? ' govuk-form-group--error' : ''}` },
      h('fieldset', { class: 'govuk-fieldset', id: 'focus-choices', 'aria-describedby': 'focus-hint' },
        h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, 'Choose the focus areas'),
        h('div', { class: 'govuk-hint', id: 'focus-hint' }, `Choose up to ${maxAreas}. Notes are read by everyone who can see this group’s figures.`),
        h('div', { class: 'govuk-checkboxes govuk-checkboxes--small' }, items.flat()))),
    h('button', { type: 'submit', class: 'govuk-button', dataset: { module: 'govuk-button' } }, 'Save focus areas'))
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const areas = [...form.querySelectorAll('input[name=dimension]:checked')].map((box) => ({
      dimension: box.value, note: form.querySelector(`textarea[name="note-${box.value}"]`).value.trim()
    }))
    if (areas.length > maxAreas) {
      show(focus, [`Choose at most ${maxAreas} focus areas; you chose ${areas.length}.`], areas)
      form.ownerDocument.querySelector('.app-focus .govuk-error-summary')?.focus()
      return
    }
    try {
      show(await putFocus(wave, group, areas), null, null)
    } catch (e) {
      const messages = e instanceof APIError && Object.keys(e.fields).length ? Object.values(e.fields) : [e.message]
      show(focus, messages, areas)
    }
    form.ownerDocument.querySelector('.app-focus .govuk-error-summary, .app-focus [data-focus-count]')?.focus?.()
  })
  return form
}

// putFocus stores the focus areas, with the CSRF token of the session.
async function putFocus (wave, group, areas) {
  const who = await session()
  const { status, ok, body } = await request(focusURL(wave, group),
    { method: 'PUT', json: { areas }, headers: { 'X-CSRF-Token': who.csrf_token || '' } })
  if (!ok) throw errorOf(status, body)
  return body
}

// focusOnTrend says, for each wave of a trend after which the group chose focus areas, what it
// chose and how each moved by the next wave (from the trend's own changes), or null when it chose
// none. labels: dimension key → title.
export function focusOnTrend (trend) {
  const rows = []
  trend.waves.forEach((w, i) => {
    if (!w.focus_areas || !w.focus_areas.length) return
    const next = trend.waves[i + 1]
    const moved = (a) => {
      if (!next) return 'the next wave will show what moved'
      const c = next.change && next.change[a.dimension]
      if (!c || c.change == null) return `no change can be shown in ${next.title || next.wave}`
      return `${c.change > 0 ? 'up' : 'down'} ${score(Math.abs(c.change))} by ${next.title || next.wave}${c.significant ? ' (significant)' : ''}`
    }
    rows.push(h('li', { dataset: { focusWave: w.wave } }, `After ${w.title || w.wave}: `,
      w.focus_areas.map((a, j) => [j ? '; ' : '', h('strong', {}, a.title), a.note ? ` (${a.note})` : '', `, ${moved(a)}`])))
  })
  if (!rows.length) return null
  return h('div', { class: 'app-focus-trend', dataset: { section: 'focus-trend' } },
    h('h3', { class: 'govuk-heading-s' }, 'Focus areas chosen, and what moved'),
    h('ul', { class: 'govuk-list govuk-list--bullet' }, rows))
}
