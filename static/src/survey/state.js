// What the survey page knows while a respondent answers: the wave's questionnaire, its rules, the
// progress kept on this device, the teams and the sign-in pass, shared by every screen.

export const st = {
  wave: '', // the wave's key, from the address
  api: '', // the wave's respondent API, /api/v1/waves/{wave}
  questionnaire: null, // {wave, survey}
  model: null,
  progress: null,
  teams: null, // [{key, name, parent, label}] for open and verified waves, loaded when needed
  pass: null, // {signed_in, answered, sign_in} for verified waves
  sending: false,
  pendingErrors: [] // server errors for sections not shown yet
}

export function answers () {
  return st.progress.data ? st.progress.data.answers : {}
}

export function invite () {
  return st.questionnaire.wave.mode === 'invite'
}

export function verified () {
  return st.questionnaire.wave.mode === 'verified'
}

// signedIn says whether the respondent may answer from this browser now: always, except in a
// verified wave without a pass for it.
export function signedIn () {
  return !verified() || Boolean(st.pass && st.pass.signed_in)
}

export function teamChosen () {
  const d = st.progress.data
  return Boolean(d && (invite() ? d.invitation_code : d.team))
}

// sectionPlace is where a section sits among those shown now.
export function sectionPlace (section) {
  const visible = st.model.visibleSections(answers())
  const index = visible.indexOf(section)
  return { visible, index, last: index === visible.length - 1 }
}
