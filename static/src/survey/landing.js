// The landing page: what the survey is, how long it takes, how answers are kept, and the start
// button (or, in a verified wave, the button to sign in first).

import { h, longDate } from '../shared/dom.js'
import { st, invite, verified, signedIn } from './state.js'
import { mount, heading, column, startIcon } from './page.js'
import { signInPromise } from './signin.js'
import { go, reachable } from './app.js'

export function landing () {
  const { wave, survey } = st.questionnaire
  const progress = st.progress
  const k = wave.threshold || 5
  const resume = progress.started
  const start = signedIn()
    ? h('a', {
      href: '#team', role: 'button', draggable: 'false', class: 'govuk-button govuk-button--start',
      'data-module': 'govuk-button',
      onclick: (e) => {
        e.preventDefault()
        if (!progress.started) progress.start()
        go(reachable(progress.data.page || 'team'))
      }
    }, resume ? 'Continue where you left off' : 'Start now', startIcon())
    : signInButton('Sign in to answer')
  const restart = resume
    ? h('button', {
      type: 'button', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button',
      onclick: () => { progress.clear(); go('start', { replace: true }) }
    }, 'Delete your answers and start again')
    : null
  const closes = wave.closes_at ? longDate(wave.closes_at) : ''
  mount(survey.title, [column(
    heading(survey.title, 'xl', wave.title),
    survey.description ? h('p', { class: 'govuk-body-l' }, survey.description) : null,
    h('p', { class: 'govuk-body' },
      survey.minutes ? `It takes about ${survey.minutes} minutes. ` : '',
      `There are up to ${survey.sections.length} short sections: you only see the questions that apply to you.`,
      closes ? ` The survey closes on ${closes}.` : ''),
    h('h2', { class: 'govuk-heading-m' }, 'How we keep your answers confidential'),
    h('ul', { class: 'govuk-list govuk-list--bullet' },
      verified()
        ? h('li', {}, 'Your answers are anonymous: signing in tells us only that you have answered, never which answers are yours.')
        : h('li', {}, 'The survey is anonymous: we do not ask for your name or email address.'),
      h('li', {}, 'We do not store your name, your IP address or the time you answered, only the day.'),
      h('li', {}, `Results are only shown for groups of ${k} or more people, so nobody can work out how you answered.`),
      h('li', {}, `Comments you write are only shown for groups of ${k * 2} or more people, mixed up and without the date.`)),
    h('h2', { class: 'govuk-heading-m' }, 'Before you start'),
    invite()
      ? h('p', { class: 'govuk-body' }, 'You need the invitation code you were sent. It tells us your team, not who you are.')
      : null,
    verified() ? signInPromise.map((p) => h('p', { class: 'govuk-body' }, p)) : null,
    verified() && signedIn()
      ? h('div', { class: 'govuk-inset-text' }, 'You are signed in, so you can start.')
      : null,
    invite()
      ? null
      : h('p', { class: 'govuk-body' }, 'You will choose the team you work in, so that your answers count towards its results.'),
    h('p', { class: 'govuk-body' },
      'Your answers are saved on this device as you go, so you can close the page and come back to finish. ' +
      'You can check them all before you send them, and they are deleted from this device when you do.'),
    resume
      ? h('div', { class: 'govuk-inset-text' }, 'You have already answered some questions on this device.')
      : null,
    h('div', { class: 'govuk-button-group' }, start, restart))])
}

// signInButton is the GOV.UK start button that sends the respondent to their organisation's
// sign-in, which brings them back to this page. Their progress is started first, so they come back
// to where they were going.
export function signInButton (text) {
  const progress = st.progress
  return h('a', {
    href: st.pass.sign_in, role: 'button', draggable: 'false', class: 'govuk-button govuk-button--start',
    'data-module': 'govuk-button', id: 'sign-in',
    onclick: () => {
      if (!progress.started) progress.start()
      progress.save()
    }
  }, text, startIcon())
}
