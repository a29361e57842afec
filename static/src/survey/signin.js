// Signing in to answer a verified wave, where each person answers once: whether this browser holds
// a pass for the wave (the pass is an HttpOnly cookie, so the page asks the service), and the
// words the page uses about it.

import { request } from '../shared/api.js'

// passFor asks the service whether this browser is signed in to answer the wave, and whether the
// person it is signed in as has answered already: {signed_in, answered, sign_in}.
export async function passFor (api) {
  const res = await request(`${api}/pass`)
  if (!res.ok || !res.body) throw new Error(`pass: ${res.status}`)
  return res.body
}

// What is kept when a respondent signs in, in words a respondent can check: shown before they sign in.
export const signInPromise = [
  'You sign in with your organisation\u2019s account so that each person answers once.',
  'We do not keep your name, email address or anything else about your account. We keep only a coded mark that you have answered, stored apart from your answers, with no time and no order, so it cannot be matched to them.'
]

export const alreadyAnswered = [
  'Each person can answer this survey once, and we already have your answers.',
  'There is nothing more you need to do. Thank you for taking part.'
]
