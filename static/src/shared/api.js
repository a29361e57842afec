// Calling the service's JSON API, for the survey and the dashboard alike: errors keep the API's
// code, message and fields, so a page can say what went wrong and where.

export class APIError extends Error {
  constructor (status, code, message, fields) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields || {}
  }
}

const enc = encodeURIComponent

// request sends one request and reads its JSON answer, whatever its status: {status, ok, body}
// (body null when the answer is not JSON). Only a network failure throws, as APIError 0 'network'.
// headers adds to the request's own (such as a session's X-CSRF-Token).
export async function request (url, { method = 'GET', json, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' }
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(json)
  }
  let response
  try {
    response = await fetch(url, init)
  } catch {
    throw new APIError(0, 'network', 'The page could not reach the service. Check your connection and try again.')
  }
  let body = null
  try {
    body = await response.json()
  } catch {}
  return { status: response.status, ok: response.ok, body }
}

// session is who is signed in (GET /api/v1/session), asked once per page however many parts of it
// want to know; a failed answer is asked again next time.
let sessionAsked = null
export function session () {
  sessionAsked ||= getJSON('/api/v1/session').catch((e) => {
    sessionAsked = null
    throw e
  })
  return sessionAsked
}

// getJSON reads a JSON resource, throwing an APIError for any answer but success. For pages that
// need a signed-in person (signIn, the default), a 401 sends the browser to sign in and back.
export async function getJSON (url, { signIn = true } = {}) {
  const { status, ok, body } = await request(url)
  if (status === 401 && signIn) {
    // The session has ended (or never began): sign in, then come back to this very page.
    window.location.assign(signInURL())
    throw new APIError(401, 'unauthenticated', 'You need to sign in to see the figures. Taking you to the sign-in page…')
  }
  if (!ok) throw errorOf(status, body)
  return body
}

// errorOf is the APIError of an answer that is not a success.
export function errorOf (status, body) {
  const e = body && body.error
  return new APIError(status, e && e.code, (e && e.message) || `The service answered ${status}.`, e && e.fields)
}

// signInURL is the sign-in page, asked to return to the page shown now.
export function signInURL () {
  return `/sign-in?return=${enc(window.location.pathname + window.location.search)}`
}

// waveURL is an address of a wave's respondent API: waveURL('spring', 'teams').
export function waveURL (wave, path) {
  return `/api/v1/waves/${enc(wave)}/${path}`
}

export function questionnaireURL (wave) {
  return waveURL(wave, 'questionnaire')
}

export function reportURL (wave, { level = 'all', breakdown = '', format = '' } = {}) {
  const q = new URLSearchParams({ level })
  if (breakdown) q.set('breakdown', breakdown)
  if (format) q.set('format', format)
  return `${waveURL(wave, 'report')}?${q}`
}

export function trendURL (wave, group) {
  return `${waveURL(wave, 'trend')}?group=${enc(group)}`
}

// dashboardURL is the address of one of the dashboard's pages.
export function dashboardURL ({ wave, group, view, breakdown, level } = {}) {
  const q = new URLSearchParams()
  if (wave) q.set('wave', wave)
  if (view) q.set('view', view)
  if (group) q.set('group', group)
  if (breakdown) q.set('breakdown', breakdown)
  if (level) q.set('level', level)
  const s = q.toString()
  return s ? `/dashboard?${s}` : '/dashboard'
}
