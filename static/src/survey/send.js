// Sending the answers (from the check page) and what to do about each answer other than success.
// A send that fails on the way is sent again with the same submission_id, which the service answers
// with the first receipt rather than a second response.

import { h, capitalise, quoted } from '../shared/dom.js'
import { request } from '../shared/api.js'
import { newSubmissionID } from './storage.js'
import { alreadyAnswered } from './signin.js'
import { st, invite } from './state.js'
import { mount, heading, column, announce, notice } from './page.js'
import { signInButton } from './landing.js'
import { go, hashOf } from './app.js'

export async function submit () {
  if (st.sending) return
  st.sending = true
  const send = document.getElementById('send')
  if (send) {
    send.setAttribute('aria-disabled', 'true')
    send.classList.add('govuk-button--disabled')
  }
  announce('Sending your answers')
  const progress = st.progress
  const body = { submission_id: progress.data.submission_id, answers: st.model.submissionAnswers(progress.data.answers) }
  if (invite()) body.invitation_code = progress.data.invitation_code
  else body.team = progress.data.team
  let res
  try {
    res = await request(`${st.api}/responses`, { method: 'POST', json: body })
  } catch {
    res = null
  }
  st.sending = false
  if (!res || (res.ok && !res.body)) {
    return retryPage('We could not reach the service to send your answers. This can happen when the internet connection drops.')
  }
  if (res.status === 200 || res.status === 201) {
    progress.saveReceipt(res.body)
    progress.clear()
    return go('confirmation', { replace: true })
  }
  refused(res.status, (res.body && res.body.error) || {})
}

// refused shows what to do about an answer other than success.
function refused (status, error) {
  const progress = st.progress
  const code = error.code || ''
  if (status === 422) return invalid(error.fields || {})
  if (code === 'team_not_found') {
    progress.data.team = ''
    progress.data.return_to = 'check'
    progress.save()
    return go('team', { errors: [{ href: '#team', message: 'The team you chose is no longer in the list. Select your team again' }] })
  }
  if (code === 'invitation_invalid') {
    progress.data.return_to = 'check'
    progress.save()
    return go('team', { errors: [{ href: '#invitation-code', message: 'This invitation code is not valid for this survey, or has already been used. Check it and enter it again' }] })
  }
  if (code === 'sign_in_required') {
    progress.data.page = 'check'
    progress.save()
    return signInAgain()
  }
  if (code === 'already_answered') {
    progress.clear()
    return notice('You have already answered this survey', alreadyAnswered)
  }
  if (code === 'sign_in_unavailable') {
    return notice('You cannot answer this survey at the moment', [capitalise(error.message || 'signing in is not working') + '.'])
  }
  if (code === 'duplicate_submission') {
    progress.clear()
    return notice('Your answers have already been sent',
      ['We already have answers sent from this device for this survey, so we cannot take them again.',
        'There is nothing more you need to do. Thank you for taking part.'])
  }
  if (code === 'wave_closed' || code === 'wave_not_open' || code === 'wave_not_found') {
    return notice('This survey is not taking answers', [error.message ? capitalise(error.message) + '.' : 'This survey has closed.'])
  }
  if (status === 429) return retryPage('Too many answers are arriving at the moment. Wait a minute, then try again.')
  return retryPage('Something went wrong on our side while sending your answers.')
}

// invalid maps a 422's fields to the questions and fields they name: answers.<key> to the question,
// team and invitation_code to the team page, submission_id to a new one and the send button.
function invalid (fields) {
  const progress = st.progress
  const model = st.model
  const byQuestion = []
  const other = []
  let teamMessage = ''
  for (const [field, message] of Object.entries(fields)) {
    if (field.startsWith('answers.')) {
      const q = model.question(field.slice(8))
      if (q) {
        byQuestion.push(serverError(q, message))
        continue
      }
    }
    if (field === 'team') teamMessage = 'Select the team you are answering for'
    else if (field === 'invitation_code') teamMessage = 'Enter your invitation code'
    else if (field === 'submission_id') {
      progress.data.submission_id = newSubmissionID()
      progress.save()
      other.push({ href: '#send', message: 'Something went wrong with this response\u2019s reference. Select \u201cSend your answers\u201d again' })
    } else {
      other.push({ href: '#send', message: `Your answers could not be accepted (${field} ${message}). Select \u201cSend your answers\u201d again` })
    }
  }
  if (teamMessage) {
    progress.data.return_to = 'check'
    progress.save()
    return go('team', { errors: [{ href: invite() ? '#invitation-code' : '#team', message: teamMessage }] })
  }
  if (byQuestion.length) {
    const order = [...model.index.keys()]
    byQuestion.sort((x, y) => order.indexOf(x.key) - order.indexOf(y.key))
    const section = model.sectionOf(byQuestion[0].key)
    const here = byQuestion.filter((e) => model.sectionOf(e.key) === section)
    st.pendingErrors = byQuestion.filter((e) => !here.includes(e))
    progress.data.return_to = 'check'
    progress.save()
    return go('section:' + section.key, { errors: here })
  }
  return go('check', { errors: other })
}

function serverError (q, message) {
  const href = q.type === 'aspiration-reality' ? `#${q.key}-now` : `#${q.key}`
  const text = message === 'an answer is required'
    ? `Answer ${quoted(q.text)}`
    : `Answer ${quoted(q.text)} again: the answer we had could not be accepted (it ${message})`
  return { key: q.key, part: '', href, message: text }
}

// signInAgain asks a respondent whose sign-in has ended (or was never made) to sign in, then send.
function signInAgain () {
  const title = 'Sign in again to send your answers'
  mount(title, [column(
    heading(title),
    h('p', { class: 'govuk-body' }, 'Your sign-in has ended, so we could not take your answers yet. Sign in with your organisation’s account and you will come back here to send them.'),
    h('p', { class: 'govuk-body' }, 'Your answers are still saved on this device, so you will not lose them.'),
    h('div', { class: 'govuk-button-group' }, signInButton('Sign in again')))])
}

function retryPage (why) {
  const again = h('button', { type: 'button', class: 'govuk-button', 'data-module': 'govuk-button', id: 'retry', onclick: () => submit() }, 'Try sending again')
  mount('Your answers have not been sent yet', [column(
    heading('Your answers have not been sent yet'),
    h('p', { class: 'govuk-body' }, why),
    h('p', { class: 'govuk-body' }, 'Your answers are still saved on this device, so you will not lose them. If you try again, they are sent only once.'),
    h('div', { class: 'govuk-button-group' }, again,
      h('a', { class: 'govuk-link', href: hashOf('check'), onclick: (e) => { e.preventDefault(); go('check', { replace: true }) } }, 'Go back to your answers')))])
}
