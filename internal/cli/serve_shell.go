package cli

import (
	"flag"

	"skillsurvey/api"
)

// shellFlags adds serve's settings for what frames every page: the department's name in the
// header, the phase banner, and the contact and feedback links of the footer.
func (c *call) shellFlags(fs *flag.FlagSet, s *api.Shell) {
	fs.StringVar(&s.Department, "department-name", c.envOr("SKILLSURVEY_DEPARTMENT_NAME", api.DefaultDepartment),
		"the department's name, in the header of every page (env SKILLSURVEY_DEPARTMENT_NAME)")
	fs.StringVar(&s.Phase, "phase", c.envOr("SKILLSURVEY_PHASE", api.DefaultPhase),
		"the phase banner's tag, such as Alpha or Beta; --phase='' shows no banner (env SKILLSURVEY_PHASE)")
	fs.StringVar(&s.ContactEmail, "contact-email", c.env("SKILLSURVEY_CONTACT_EMAIL"),
		"email address of the team that runs the survey, on the contact, privacy and accessibility pages (env SKILLSURVEY_CONTACT_EMAIL)")
	fs.StringVar(&s.FeedbackURL, "feedback-url", c.env("SKILLSURVEY_FEEDBACK_URL"),
		"where the feedback links go: an https:// form or a mailto: link; by default an email to --contact-email (env SKILLSURVEY_FEEDBACK_URL)")
}
