// The parts every screen of the survey is made of: putting a page in place, its heading, back
// link, error summary, buttons and layout, and the short pages that only say something.

import { createAll, Button, CharacterCount, Checkboxes, ErrorSummary, NotificationBanner, Radios } from 'govuk-frontend'
import { h, s } from '../shared/dom.js'
import { st } from './state.js'

// mount puts a page in place: GOV.UK components started on it, its title set, and focus moved to
// its error summary (when it has errors) or its heading, as a new page would be read from the top.
export function mount (title, nodes, opts = {}) {
  const app = document.getElementById('app')
  app.replaceChildren(...nodes.flat().filter(Boolean))
  app.removeAttribute('aria-busy')
  const errors = opts.errors && opts.errors.length
  document.title = `${errors ? 'Error: ' : ''}${title} \u2013 ${st.questionnaire ? st.questionnaire.survey.title : 'Survey'}`
  for (const Component of [Button, Radios, Checkboxes, CharacterCount, NotificationBanner]) createAll(Component, undefined, app)
  window.scrollTo(0, 0)
  if (errors) {
    createAll(ErrorSummary, undefined, app) // moves focus to the summary
  } else {
    const target = app.querySelector('[data-focus]')
    if (target) target.focus({ preventScroll: true })
  }
  if (opts.after) opts.after()
}

export function heading (text, size = 'l', caption) {
  return [
    caption ? h('span', { class: `govuk-caption-${size}`, id: 'page-caption' }, caption) : null,
    h('h1', { class: `govuk-heading-${size}`, tabindex: '-1', 'data-focus': '' }, text)
  ]
}

// backLink is the GOV.UK back link to a page of the survey; go shows it.
export function backLink (href, go) {
  return h('a', {
    href,
    class: 'govuk-back-link',
    onclick: (e) => { e.preventDefault(); go() }
  }, 'Back')
}

export function errorSummary (errors) {
  if (!errors || !errors.length) return null
  return h('div', { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary' },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h('div', { class: 'govuk-error-summary__body' },
        h('ul', { class: 'govuk-list govuk-error-summary__list' },
          errors.map((e) => h('li', {}, h('a', { href: e.href }, e.message)))))))
}

export function button (text, attrs = {}) {
  return h('button', { type: 'submit', class: 'govuk-button', 'data-module': 'govuk-button', 'data-prevent-double-click': 'true', ...attrs }, text)
}

export function column (...children) {
  return h('div', { class: 'govuk-grid-row' }, h('div', { class: 'govuk-grid-column-two-thirds' }, children))
}

export function announce (text) {
  const announcer = document.getElementById('announce')
  if (!announcer) return
  announcer.textContent = ''
  window.setTimeout(() => { announcer.textContent = text }, 50)
}

export function startIcon () {
  return s('svg', {
    class: 'govuk-button__start-icon', xmlns: 'http://www.w3.org/2000/svg', width: '17.5', height: '19',
    viewBox: '0 0 33 40', 'aria-hidden': 'true', focusable: 'false'
  }, s('path', { fill: 'currentColor', d: 'M0 0h13l20 20-20 20H0l20-20z' }))
}

export function problem (title, text, retry) {
  mount(title, [column(heading(title), h('p', { class: 'govuk-body' }, text),
    retry ? h('button', { type: 'button', class: 'govuk-button', 'data-module': 'govuk-button', onclick: retry }, 'Try again') : null)])
}

export function notice (title, paragraphs) {
  mount(title, [column(heading(title), paragraphs.map((p) => h('p', { class: 'govuk-body' }, p)))])
}
