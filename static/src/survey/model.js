// The questionnaire's rules, as the service applies them (docs/definitions.md): which questions and
// sections are shown given the answers so far (show_if), how an answer reads from the form, what the
// client checks before moving on, and what a submission holds.

export const DONT_KNOW = 'dont_know'
export const DEFAULT_TEXT_LENGTH = 2000

// Option keys that mean "none of the above", for definitions written before options could say
// `exclusive: true`.
const EXCLUSIVE = new Set(['none', 'neither', 'none-of-these'])

// isExclusive reports whether an option of a multi_choice question cannot be chosen with others:
// it is shown after an "or" and ticking it unticks the others (GOV.UK's exclusive checkbox).
export function isExclusive (q, option, index) {
  if (q.options.some((o) => typeof o.exclusive === 'boolean')) return option.exclusive === true
  return EXCLUSIVE.has(option.key) && index === q.options.length - 1 && q.options.length > 1
}

export function textLimit (q) {
  return q.max_length > 0 ? q.max_length : DEFAULT_TEXT_LENGTH
}

export class Model {
  constructor (survey) {
    this.survey = survey
    this.index = new Map()
    for (const section of survey.sections) {
      for (const q of section.questions) this.index.set(q.key, { q, section })
    }
  }

  question (key) {
    const found = this.index.get(key)
    return found ? found.q : null
  }

  sectionOf (key) {
    const found = this.index.get(key)
    return found ? found.section : null
  }

  section (key) {
    return this.survey.sections.find((s) => s.key === key) || null
  }

  // shown reports whether a question is asked given the answers: its show_if condition names an
  // earlier choice question, which must itself be shown and answered with one of the options.
  shown (q, answers) {
    const cond = q.show_if
    if (!cond) return true
    const target = this.question(cond.question)
    if (!target || !this.shown(target, answers)) return false
    const a = answers[target.key]
    if (a === undefined || a === null || a === DONT_KNOW) return false
    const chosen = Array.isArray(a) ? a : [a]
    const wanted = cond.in && cond.in.length ? cond.in : [cond.equals]
    return chosen.some((c) => wanted.includes(c))
  }

  // visibleSections are the sections with at least one question shown; the others are skipped.
  visibleSections (answers) {
    return this.survey.sections.filter((s) => s.questions.some((q) => this.shown(q, answers)))
  }

  // submission is the answers to send: only questions shown, only complete answers, in the types
  // the API takes.
  submissionAnswers (answers) {
    const out = {}
    for (const { q } of this.index.values()) {
      if (!this.shown(q, answers)) continue
      const v = answerValue(q, answers[q.key])
      if (v !== undefined) out[q.key] = v
    }
    return out
  }

  // check returns the client's errors for the shown questions of a section, in page order:
  // [{key, part, href, message}].
  check (section, answers) {
    const errors = []
    for (const q of section.questions) {
      if (this.shown(q, answers)) errors.push(...checkAnswer(q, answers[q.key]))
    }
    return errors
  }
}

// parseNumber reads a typed number, allowing spaces and thousands separators: "1,200" is 1200.
export function parseNumber (text) {
  const t = String(text).replace(/[\s,]/g, '')
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return null
  return Number(t)
}

function answerValue (q, a) {
  if (a === undefined || a === null || a === '') return undefined
  if (a === DONT_KNOW) return q.type === 'text' ? a : DONT_KNOW
  switch (q.type) {
    case 'maturity':
      return Number.isInteger(a) ? a : undefined
    case 'aspiration-reality':
      return a && Number.isInteger(a.now) && Number.isInteger(a.target) ? { now: a.now, target: a.target } : undefined
    case 'multi_choice':
      return Array.isArray(a) && a.length ? a : undefined
    case 'number': {
      const n = parseNumber(a)
      return n === null ? undefined : n
    }
    case 'text':
      return String(a).trim() === '' ? undefined : String(a)
    default:
      return typeof a === 'string' ? a : undefined
  }
}

function err (q, message, part, href) {
  return { key: q.key, part: part || '', href: '#' + (href || q.key), message }
}

// checkAnswer checks one shown question's answer as the service will.
function checkAnswer (q, a) {
  const empty = a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0)
  const about = q.text
  switch (q.type) {
    case 'aspiration-reality': {
      if (a === DONT_KNOW) return []
      const now = a && Number.isInteger(a.now)
      const target = a && Number.isInteger(a.target)
      if (!now && !target && !q.required) return []
      const out = []
      if (!now) out.push(err(q, `Select an answer to \u201c${q.now_text || 'Where is your team now?'}\u201d`, 'now', q.key + '-now'))
      if (!target) out.push(err(q, `Select an answer to \u201c${q.target_text || 'Where should your team be?'}\u201d`, 'target', q.key + '-target'))
      return out
    }
    case 'multi_choice':
      if (empty) return q.required ? [err(q, `Select at least one answer to \u201c${about}\u201d`)] : []
      if (a.length > 1) {
        const alone = q.options.find((o, i) => a.includes(o.key) && isExclusive(q, o, i))
        if (alone) return [err(q, `Select \u201c${alone.label || alone.key}\u201d on its own, or other answers without it`)]
      }
      if (q.max_choices > 0 && a.length > q.max_choices) {
        return [err(q, `Select no more than ${q.max_choices} answers to \u201c${about}\u201d`)]
      }
      return []
    case 'number': {
      if (empty) return q.required ? [err(q, `Enter an answer to \u201c${about}\u201d`)] : []
      const n = parseNumber(a)
      const unit = q.unit ? ` ${q.unit}` : ''
      if (n === null) {
        return [err(q, q.unit ? `Enter the number of ${q.unit} as a number, like 12` : 'Enter a number, like 12')]
      }
      if (q.integer && !Number.isInteger(n)) {
        return [err(q, q.unit ? `Enter the number of ${q.unit} as a whole number, like 12` : 'Enter a whole number, like 12')]
      }
      const min = typeof q.min === 'number' ? q.min : null
      const max = typeof q.max === 'number' ? q.max : null
      if ((min !== null && n < min) || (max !== null && n > max)) {
        if (min !== null && max !== null) return [err(q, `Enter a number from ${min} to ${max}${unit}`)]
        if (min !== null) return [err(q, `Enter a number of ${min}${unit} or more`)]
        return [err(q, `Enter a number of ${max}${unit} or fewer`)]
      }
      return []
    }
    case 'text': {
      if (empty || String(a).trim() === '') return q.required ? [err(q, `Enter an answer to \u201c${about}\u201d`)] : []
      const limit = textLimit(q)
      if (String(a).length > limit) return [err(q, `Your answer to \u201c${about}\u201d must be ${limit} characters or fewer`)]
      return []
    }
    default: // maturity, proficiency, choice: radios
      if (empty) return q.required ? [err(q, `Select an answer to \u201c${about}\u201d`)] : []
      return []
  }
}

// readAnswer reads one question's answer from the form's controls; undefined when unanswered.
export function readAnswer (form, q) {
  const checked = (name) => {
    const el = form.querySelector(`input[name="${name}"]:checked`)
    return el ? el.value : null
  }
  switch (q.type) {
    case 'maturity': {
      const v = checked(q.key)
      if (v === null) return undefined
      return v === DONT_KNOW ? DONT_KNOW : Number(v)
    }
    case 'aspiration-reality': {
      if (checked(q.key + '.dont_know') !== null) return DONT_KNOW
      const now = checked(q.key + '.now')
      const target = checked(q.key + '.target')
      if (now === null && target === null) return undefined
      const a = {}
      if (now !== null) a.now = Number(now)
      if (target !== null) a.target = Number(target)
      return a
    }
    case 'multi_choice': {
      const values = Array.from(form.querySelectorAll(`input[name="${q.key}"]:checked`), (el) => el.value)
      return values.length ? values : undefined
    }
    case 'number':
    case 'text': {
      const el = form.elements.namedItem(q.key)
      if (!el) return undefined
      return el.value.trim() === '' ? undefined : el.value
    }
    default: {
      const v = checked(q.key)
      return v === null ? undefined : v
    }
  }
}
