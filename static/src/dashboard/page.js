// Parts every dashboard page shares: the heading, the wave picker, the downloads and errors.
import { dashboardURL, reportURL } from './api.js'
import { h, hidden, link } from './dom.js'
import { day } from './format.js'

// heading writes the page's caption and h1, and the document title to match.
export function heading (title, caption) {
  document.title = `${title} – Maturity dashboard – Digital skills and maturity survey`
  const h1 = h('h1', { class: 'govuk-heading-l' }, title)
  return caption ? [h('span', { class: 'govuk-caption-l' }, caption), h1] : [h1]
}

// waveCaption names the wave and whether it is open.
export function waveCaption (wave) {
  return `${wave.title || wave.key}${wave.state === 'open' ? ' (open)' : wave.state === 'closed' ? ' (closed)' : ''}`
}

// about says what the figures are and how far they can be trusted.
export function about (rep) {
  const w = rep.wave
  return h('p', { class: 'govuk-body' },
    'Scores run from 0 (', rep.stages[0]?.label || 'aspiration', ') to 100 (',
    rep.stages[rep.stages.length - 1]?.label || 'reality', '). ',
    `Groups with fewer than ${w.threshold} responses are withheld, and so is any group whose figures would let someone work out a withheld one. `,
    w.state === 'open'
      ? `While the wave is open, each team's answers join the figures in batches of at least ${w.threshold}, so a team shows nothing until ${w.threshold} of its people have answered, and a directorate's figures may leave out a few recent answers; breakdowns are published when the wave closes. `
      : '',
    besideOverall(rep),
    rep.refreshed ? `Figures last refreshed on ${day(rep.refreshed)}.` : '')
}

// besideOverall names the dimensions the overall score leaves out: those asked only of teams that do
// that kind of work, shown beside it so overall compares like with like.
function besideOverall (rep) {
  const out = rep.dimensions.filter((d) => d.in_overall === false).map((d) => d.title)
  if (!out.length) return ''
  const list = out.length === 1 ? out[0] : `${out.slice(0, -1).join(', ')} and ${out[out.length - 1]}`
  return `The overall score leaves out ${list}: ${out.length === 1 ? 'it is' : 'they are'} asked only of teams that do that work, and shown beside it. `
}

// wavePicker is a form that takes a wave's key, and a list of the survey's waves up to this one
// (read from the trend endpoint, which lists them; there is no endpoint that lists waves yet).
// keep holds the page's other parameters, so the same view opens for the chosen wave.
export function wavePicker ({ current = '', error = '', keep = {} } = {}) {
  const inputAttrs = {
    class: `govuk-input govuk-input--width-20${error ? ' govuk-input--error' : ''}`,
    id: 'wave-key',
    name: 'wave',
    type: 'text',
    spellcheck: 'false',
    autocomplete: 'off',
    value: current,
    'aria-describedby': error ? 'wave-key-hint wave-key-error' : 'wave-key-hint'
  }
  const list = h('ul', { class: 'govuk-list app-wave-list', id: 'wave-list' })
  const listBlock = h('div', { class: 'app-wave-list-block', hidden: true },
    h('h2', { class: 'govuk-heading-s' }, 'Waves of this survey'),
    list)
  const form = h('form', { method: 'get', action: '/dashboard', class: 'app-wave-picker', novalidate: true },
    h('div', { class: `govuk-form-group${error ? ' govuk-form-group--error' : ''}` },
      h('label', { class: 'govuk-label govuk-label--s', for: 'wave-key' }, 'Wave'),
      h('div', { class: 'govuk-hint', id: 'wave-key-hint' }, 'The key of the wave, such as 2026-spring'),
      error ? h('p', { class: 'govuk-error-message', id: 'wave-key-error' }, hidden('Error: '), error) : null,
      h('input', inputAttrs)),
    Object.entries(keep).filter(([, v]) => v).map(([k, v]) => h('input', { type: 'hidden', name: k, value: v })),
    h('button', { type: 'submit', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button' }, 'Show this wave'))
  const block = h('div', { class: 'app-wave-picker-block' }, form, listBlock)

  // setWaves lists the waves a trend answer names, newest first, linking each to the same view.
  block.setWaves = (waves) => {
    if (!waves || !waves.length) return
    list.replaceChildren(...[...waves].reverse().map((w) => {
      const text = `${w.title || w.wave}`
      const state = w.state ? ` (${w.state})` : ''
      if (w.wave === current) {
        return h('li', { 'aria-current': 'true' }, h('strong', {}, text), state, hidden(', the wave shown'))
      }
      return h('li', {}, link(dashboardURL({ ...keep, wave: w.wave }), text), state)
    }))
    listBlock.hidden = false
  }
  return block
}

// downloads links the report as CSV and XLSX, for the level and breakdown shown.
export function downloads (wave, { level = 'all', breakdown = '' } = {}, what = 'these figures') {
  const csv = reportURL(wave, { level, breakdown, format: 'csv' })
  const xlsx = reportURL(wave, { level, breakdown, format: 'xlsx' })
  return h('section', { class: 'app-downloads', 'aria-labelledby': 'downloads-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'downloads-heading' }, 'Download the figures'),
    h('p', { class: 'govuk-body' }, `Every group's figures behind ${what}, with withheld groups listed without numbers.`),
    h('ul', { class: 'govuk-list' },
      h('li', {}, h('a', { class: 'govuk-link', href: csv, download: '', dataset: { download: 'csv' } }, 'Download as CSV', hidden(' (comma-separated values)'))),
      h('li', {}, h('a', { class: 'govuk-link', href: xlsx, download: '', dataset: { download: 'xlsx' } }, 'Download as an Excel spreadsheet (XLSX)'))))
}

// problem shows an error the page cannot get past.
export function problem (title, message) {
  return h('div', { class: 'govuk-error-summary', tabindex: '-1' },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, title),
      h('div', { class: 'govuk-error-summary__body' }, h('p', { class: 'govuk-body' }, message))))
}

// section is a titled part of a page.
export function section (id, title, ...content) {
  return h('section', { class: 'app-section', id, 'aria-labelledby': `${id}-heading` },
    h('h2', { class: 'govuk-heading-m', id: `${id}-heading` }, title),
    ...content)
}

// setNavigation points the service navigation at the wave shown and marks the current view.
export function setNavigation (wave, view) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    const which = a.dataset.nav
    a.href = dashboardURL({ wave, view: which === 'overview' ? '' : which })
    const item = a.closest('.govuk-service-navigation__item')
    const current = which === view
    item?.classList.toggle('govuk-service-navigation__item--active', current)
    if (current) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
}
