package access

// Audit actions: what the audit log says happened. Never with answers, codes, passwords or tokens.
const (
	ActionSignIn            = "sign-in"
	ActionSignInFailed      = "sign-in.failed"
	ActionSignOut           = "sign-out"
	ActionUserAdd           = "user.add"
	ActionUserRemove        = "user.remove"
	ActionTokenCreate       = "token.create"
	ActionTokenRevoke       = "token.revoke"
	ActionWaveCreate        = "wave.create"
	ActionWaveOpen          = "wave.open"
	ActionWaveClose         = "wave.close"
	ActionTeamsImport       = "teams.import"
	ActionInvitationsCreate = "invitations.create"
	ActionReportExport      = "report.export"
	ActionTokenUse          = "token.use"
)
