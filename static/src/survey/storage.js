// Progress kept in the browser, so a respondent can close the page and come back: one entry per wave
// in localStorage holding the answers so far, the page they were on, the team (or invitation code)
// and the submission_id made once for this response, which every retry sends again.
// Nothing here leaves the device except through the submission itself.

const prefix = 'skillsurvey:'

function storage (kind) {
  try {
    const st = window[kind]
    const probe = prefix + 'probe'
    st.setItem(probe, '1')
    st.removeItem(probe)
    return st
  } catch {
    return null // storage blocked (private mode, settings): the survey still works, without resume
  }
}

const local = storage('localStorage')
const session = storage('sessionStorage')

// newSubmissionID makes a random (version 4) UUID, with crypto.randomUUID where the browser has it
// (secure contexts only) and getRandomValues otherwise.
export function newSubmissionID () {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID()
  const b = window.crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

// A Progress is {submission_id, version, team, invitation_code, answers, page}.
export class Progress {
  constructor (wave, version) {
    this.key = prefix + wave
    this.receiptKey = prefix + wave + ':receipt'
    this.version = version
    this.data = null
  }

  // load reads saved progress for this wave and definition version; it reports whether there was any.
  load () {
    if (!local) return false
    let data = null
    try {
      data = JSON.parse(local.getItem(this.key) || 'null')
    } catch {
      data = null
    }
    if (!data || typeof data !== 'object' || data.version !== this.version ||
        typeof data.answers !== 'object' || data.answers === null || Array.isArray(data.answers)) {
      this.data = null
      return false
    }
    this.data = data
    return true
  }

  // start begins a response: a new submission_id, no answers.
  start () {
    this.data = { version: this.version, submission_id: newSubmissionID(), team: '', invitation_code: '', answers: {}, page: 'team' }
    this.save()
  }

  get started () { return this.data !== null }

  save () {
    if (!local || !this.data) return
    try {
      local.setItem(this.key, JSON.stringify(this.data))
    } catch {
      // quota or blocked: answers stay in memory for this visit
    }
  }

  // clear forgets the response: after it has been sent, or when the respondent starts again.
  clear () {
    this.data = null
    if (local) local.removeItem(this.key)
  }

  // The receipt is kept for this tab only, so reloading the confirmation page shows it again.
  saveReceipt (receipt) {
    if (session) session.setItem(this.receiptKey, JSON.stringify(receipt))
  }

  receipt () {
    if (!session) return null
    try {
      return JSON.parse(session.getItem(this.receiptKey) || 'null')
    } catch {
      return null
    }
  }

  clearReceipt () {
    if (session) session.removeItem(this.receiptKey)
  }
}
