// Each question type as GOV.UK Frontend components. Every control's id starts with the question's
// key, and the first control of a question has the key itself as its id, so the error summary
// can link to it ("#role-type").

import { h, capitalise } from '../shared/dom.js'
import { DONT_KNOW, isExclusive, textLimit } from './model.js'

export function errorMessage (id, message) {
  return h('p', { class: 'govuk-error-message', id },
    h('span', { class: 'govuk-visually-hidden' }, 'Error:'), ' ', message)
}

function hint (id, text) {
  return text ? h('div', { class: 'govuk-hint', id }, text) : null
}

function describedBy (...ids) {
  const list = ids.filter(Boolean)
  return list.length ? list.join(' ') : null
}

// The question's words, with "(optional)" where an answer is not needed, as GOV.UK asks.
function questionText (q) {
  return q.required ? q.text : `${q.text} (optional)`
}

function legend (q, size) {
  return h('legend', { class: `govuk-fieldset__legend govuk-fieldset__legend--${size || 'm'}` },
    h('h2', { class: 'govuk-fieldset__heading' }, questionText(q)))
}

// radioItems builds the radios of one group: items are {value, label, hint}; "Don't know" comes
// after the GOV.UK "or" divider.
function radios (name, idBase, items, chosen, opts = {}) {
  const children = []
  items.forEach((item, i) => {
    const id = i === 0 ? idBase : `${idBase}-${i + 1}`
    if (item.divider) children.push(h('div', { class: 'govuk-radios__divider' }, 'or'))
    const hintID = item.hint ? `${id}-item-hint` : null
    children.push(h('div', { class: 'govuk-radios__item' },
      h('input', {
        class: 'govuk-radios__input', id, name, type: 'radio', value: item.value,
        checked: String(chosen) === String(item.value), 'aria-describedby': hintID
      }),
      h('label', { class: 'govuk-label govuk-radios__label', for: id }, item.label),
      item.hint ? h('div', { class: 'govuk-hint govuk-radios__hint', id: hintID }, item.hint) : null))
  })
  return h('div', { class: ['govuk-radios', opts.small && 'govuk-radios--small'], 'data-module': 'govuk-radios' }, children)
}

function levelItems (q) {
  const items = q.levels.map((label, i) => ({ value: String(i + 1), label }))
  if (q.dont_know) items.push({ value: DONT_KNOW, label: 'I do not know', divider: true })
  return items
}

// formGroup wraps a question; errors are those of this question.
function formGroup (q, errors, content, extraClass) {
  return h('div', {
    class: ['govuk-form-group', errors.length && 'govuk-form-group--error', extraClass],
    id: `q-${q.key}`,
    'data-question': q.key
  }, content)
}

function radioQuestion (q, answer, errors, items) {
  const hintID = q.hint ? `${q.key}-hint` : null
  const errorID = errors.length ? `${q.key}-error` : null
  return formGroup(q, errors,
    h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': describedBy(hintID, errorID) },
      legend(q),
      hint(hintID, q.hint),
      errors.length ? errorMessage(errorID, errors[0].message) : null,
      radios(q.key, q.key, items, answer)))
}

// proficiencyHints splits a hint written as "Intro. Awareness: ... Working: ..." into the intro
// and a hint for each level, when every level above the first is described in order.
export function proficiencyHints (text, levels) {
  if (!text) return { intro: '', items: {} }
  const starts = []
  let from = 0
  for (const level of levels.slice(1)) {
    const marker = `${capitalise(level)}: `
    const at = text.indexOf(marker, from)
    if (at < 0) return { intro: text, items: {} }
    starts.push({ level, at, body: at + marker.length })
    from = at + marker.length
  }
  const items = {}
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].at : text.length
    items[s.level] = capitalise(text.slice(s.body, end).trim())
  })
  return { intro: text.slice(0, starts[0].at).trim(), items }
}

function proficiency (q, answer, errors, levels) {
  const { intro, items } = proficiencyHints(q.hint, levels)
  const list = levels.map((level) => ({ value: level, label: capitalise(level), hint: items[level] }))
  if (q.dont_know) list.push({ value: DONT_KNOW, label: 'I do not know', divider: true })
  return radioQuestion({ ...q, hint: intro }, answer, errors, list)
}

function choice (q, answer, errors) {
  const items = q.options.map((o) => ({ value: o.key, label: o.label || o.key }))
  if (q.dont_know) items.push({ value: DONT_KNOW, label: 'I do not know', divider: true })
  return radioQuestion(q, answer, errors, items)
}

function multiChoice (q, answer, errors) {
  const chosen = new Set(Array.isArray(answer) ? answer : [])
  const hintText = [q.hint, q.max_choices > 0 ? `Select up to ${q.max_choices}.` : ''].filter(Boolean).join(' ')
  const hintID = hintText ? `${q.key}-hint` : null
  const errorID = errors.length ? `${q.key}-error` : null
  const items = []
  q.options.forEach((o, i) => {
    const id = i === 0 ? q.key : `${q.key}-${i + 1}`
    const exclusive = isExclusive(q, o, i)
    if (exclusive) items.push(h('div', { class: 'govuk-checkboxes__divider' }, 'or'))
    items.push(h('div', { class: 'govuk-checkboxes__item' },
      h('input', {
        class: 'govuk-checkboxes__input', id, name: q.key, type: 'checkbox', value: o.key,
        checked: chosen.has(o.key), 'data-behaviour': exclusive ? 'exclusive' : null
      }),
      h('label', { class: 'govuk-label govuk-checkboxes__label', for: id }, o.label || o.key)))
  })
  return formGroup(q, errors,
    h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': describedBy(hintID, errorID) },
      legend(q),
      hint(hintID, hintText),
      errors.length ? errorMessage(errorID, errors[0].message) : null,
      h('div', { class: 'govuk-checkboxes', 'data-module': 'govuk-checkboxes' }, items)))
}

// aspirationReality is two radio groups on the same levels, side by side on wide screens and one
// above the other on narrow ones, with one "I do not know" for the pair.
function aspirationReality (q, answer, errors) {
  const hintID = q.hint ? `${q.key}-hint` : null
  const pair = answer && typeof answer === 'object' ? answer : {}
  const levels = q.levels.map((label, i) => ({ value: String(i + 1), label }))
  const side = (part, title) => {
    const sideErrors = errors.filter((e) => e.part === part)
    const errorID = sideErrors.length ? `${q.key}-${part}-error` : null
    return h('div', { class: 'govuk-grid-column-one-half' },
      h('div', { class: ['govuk-form-group', 'app-pair__side', sideErrors.length && 'govuk-form-group--error'] },
        h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': errorID },
          h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' },
            h('h3', { class: 'govuk-fieldset__heading' }, title)),
          sideErrors.length ? errorMessage(errorID, sideErrors[0].message) : null,
          radios(`${q.key}.${part}`, `${q.key}-${part}`, levels, pair[part], { small: false }))))
  }
  const dontKnow = q.dont_know
    ? h('div', { class: 'govuk-checkboxes', 'data-module': 'govuk-checkboxes' },
      h('div', { class: 'govuk-checkboxes__divider' }, 'or'),
      h('div', { class: 'govuk-checkboxes__item' },
        h('input', {
          class: 'govuk-checkboxes__input', id: `${q.key}-dont-know`, name: `${q.key}.dont_know`, type: 'checkbox',
          value: DONT_KNOW, checked: answer === DONT_KNOW, 'data-pair': q.key
        }),
        h('label', { class: 'govuk-label govuk-checkboxes__label', for: `${q.key}-dont-know` }, 'I do not know')))
    : null
  const whole = errors.filter((e) => !e.part)
  const errorID = whole.length ? `${q.key}-error` : null
  return formGroup(q, errors,
    h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': describedBy(hintID, errorID) },
      legend(q),
      hint(hintID, q.hint),
      whole.length ? errorMessage(errorID, whole[0].message) : null,
      h('div', { class: 'govuk-grid-row app-pair' }, side('now', q.now_text || 'Now'), side('target', q.target_text || 'Where it should be')),
      dontKnow), 'app-pair-group')
}

function labelHeading (q) {
  return h('h2', { class: 'govuk-label-wrapper' },
    h('label', { class: 'govuk-label govuk-label--m', for: q.key }, questionText(q)))
}

// number is a GOV.UK text input for a number: a whole number gets the numeric keypad; a number
// that may have decimals does not, as some numeric keypads have no decimal point (GOV.UK Design
// System, text input).
function number (q, answer, errors) {
  const hintID = q.hint ? `${q.key}-hint` : null
  const errorID = errors.length ? `${q.key}-error` : null
  const input = h('input', {
    class: ['govuk-input', 'govuk-input--width-4', errors.length && 'govuk-input--error'],
    id: q.key, name: q.key, type: 'text', inputmode: q.integer ? 'numeric' : null, spellcheck: 'false', autocomplete: 'off',
    value: answer === undefined || answer === null ? '' : String(answer),
    'aria-describedby': describedBy(hintID, errorID)
  })
  return formGroup(q, errors, [
    labelHeading(q),
    hint(hintID, q.hint),
    errors.length ? errorMessage(errorID, errors[0].message) : null,
    q.unit
      ? h('div', { class: 'govuk-input__wrapper' }, input, h('div', { class: 'govuk-input__suffix', 'aria-hidden': 'true' }, q.unit))
      : input])
}

function text (q, answer, errors) {
  const limit = textLimit(q)
  const hintID = q.hint ? `${q.key}-hint` : null
  const errorID = errors.length ? `${q.key}-error` : null
  const area = h('textarea', {
    class: ['govuk-textarea', 'govuk-js-character-count', errors.length && 'govuk-textarea--error'],
    id: q.key, name: q.key, rows: '6', spellcheck: 'true',
    'aria-describedby': describedBy(`${q.key}-info`, hintID, errorID)
  })
  area.value = typeof answer === 'string' ? answer : ''
  return formGroup(q, errors, [
    labelHeading(q),
    hint(hintID, q.hint),
    errors.length ? errorMessage(errorID, errors[0].message) : null,
    area,
    h('div', { id: `${q.key}-info`, class: 'govuk-hint govuk-character-count__message' },
      `You can enter up to ${limit} characters`)
  ], 'govuk-character-count')
}

// question renders one question; levels are the survey's proficiency levels.
export function question (q, answer, errors, levels) {
  let block
  switch (q.type) {
    case 'maturity': block = radioQuestion(q, answer, errors, levelItems(q)); break
    case 'aspiration-reality': block = aspirationReality(q, answer, errors); break
    case 'proficiency': block = proficiency(q, answer, errors, levels); break
    case 'choice': block = choice(q, answer, errors); break
    case 'multi_choice': block = multiChoice(q, answer, errors); break
    case 'number': block = number(q, answer, errors); break
    case 'text':
      block = text(q, answer, errors)
      block.setAttribute('data-module', 'govuk-character-count')
      block.setAttribute('data-maxlength', String(textLimit(q)))
      break
    default:
      block = formGroup(q, [], h('p', { class: 'govuk-body' }, q.text))
  }
  // Aspiration-reality pairs take the whole width; other questions a readable two-thirds.
  const wide = q.type === 'aspiration-reality'
  return h('div', { class: 'govuk-grid-row app-question', 'data-question-row': q.key, 'data-question-type': q.type },
    h('div', { class: wide ? 'govuk-grid-column-full' : 'govuk-grid-column-two-thirds' }, block))
}
