package cli

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skillsurvey/internal/access"
)

// ssoEnv is an environment with single sign-on configured, and more.
func ssoEnv(more env) env {
	e := env{"SKILLSURVEY_OIDC_ISSUER": "https://login.example.com", "SKILLSURVEY_OIDC_CLIENT_ID": "x",
		"SKILLSURVEY_OIDC_CLIENT_SECRET": "s", "SKILLSURVEY_OIDC_REDIRECT_URL": "https://skills.example.gov.uk/sign-in/callback",
		"SKILLSURVEY_OIDC_ROLES": "admins=admin"}
	maps.Copy(e, more)
	return e
}

// TestServeRefusesBadAccessSettings: every access setting is checked at start, naming the problem,
// and the service does not start.
func TestServeRefusesBadAccessSettings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		env      env
		args     []string
		inStderr string
	}{
		{"beyond this machine without a public URL", env{}, []string{"--listen", "0.0.0.0:8080"}, `--public-url is required when listening on "0.0.0.0:8080"`},
		{"public URL with a path", env{}, []string{"--public-url", "https://skills.example.gov.uk/app"}, "give the scheme and host only"},
		{"public URL without a scheme", env{"SKILLSURVEY_PUBLIC_URL": "skills.example.gov.uk"}, nil, "give the scheme and host only"},
		{"public URL ftp", env{}, []string{"--public-url", "ftp://x"}, "give the scheme and host only"},
		{"https without a certificate or a proxy", env{}, []string{"--public-url", "https://skills.example.gov.uk"}, "--public-url is https, but the service has no certificate"},
		{"bad proxy", env{}, []string{"--trusted-proxies", "10.0.0.0/8,proxy.local"}, `trusted proxy "proxy.local"`},
		{"certificate without key", env{}, []string{"--tls-cert", "cert.pem"}, "--tls-cert and --tls-key go together"},
		{"certificate files that are not there", env{}, []string{"--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"},
			`--tls-cert "/nonexistent/cert.pem" and --tls-key "/nonexistent/key.pem": open /nonexistent/cert.pem`},
		{"certificate file that holds no certificate", env{}, []string{"--tls-cert", "serve_access_test.go", "--tls-key", "serve_access_test.go"},
			"failed to find any PEM data"},
		{"idle too short", env{}, []string{"--session-idle", "10s"}, "--session-idle 10s: use 1m to 24h"},
		{"max below idle", env{}, []string{"--session-idle", "2h", "--session-max", "1h"}, "--session-max 1h0m0s"},
		{"idle from a bad variable", env{"SKILLSURVEY_SESSION_IDLE": "soon"}, nil, `SKILLSURVEY_SESSION_IDLE="soon"`},
		{"no connections", env{}, []string{"--max-connections", "0"}, "--max-connections 0"},
		{"limit without a period", env{}, []string{"--limit-sign-in", "10"}, "--limit-sign-in: limit \"10\""},
		{"limit of zero", env{"SKILLSURVEY_LIMIT_CODES": "0/1m"}, nil, "--limit-codes"},
		{"limit period too short", env{}, []string{"--limit-submissions", "5/1ms"}, "--limit-submissions"},
		{"request limit without a period", env{}, []string{"--limit-requests", "6000"}, `--limit-requests: limit "6000": write N/DURATION`},
		{"request limit of zero", env{"SKILLSURVEY_LIMIT_REQUESTS": "0/1m"}, nil, `--limit-requests: limit "0/1m"`},
		{"request limit over a million", env{}, []string{"--limit-requests", "1000001/1m"}, `--limit-requests: limit "1000001/1m"`},
		{"request limit period over a day", env{}, []string{"--limit-requests", "6000/25h"}, `--limit-requests: limit "6000/25h"`},
		{"request limit not a number", env{"SKILLSURVEY_LIMIT_REQUESTS": "lots/1m"}, nil, `--limit-requests: limit "lots/1m"`},
		{"request limit with a bad period", env{}, []string{"--limit-requests", "100/minute"}, `--limit-requests: limit "100/minute"`},
		{"single sign-on half set", env{"SKILLSURVEY_OIDC_ISSUER": "https://login.example.com"}, nil, "client"},
		{"single sign-on with bad roles", env{"SKILLSURVEY_OIDC_ISSUER": "https://login.example.com", "SKILLSURVEY_OIDC_CLIENT_ID": "x",
			"SKILLSURVEY_OIDC_CLIENT_SECRET": "s", "SKILLSURVEY_OIDC_REDIRECT_URL": "https://skills.example.gov.uk/sign-in/callback"},
			[]string{"--oidc-roles", "admins=root"}, "--oidc-roles"},
		{"single sign-on without a respondent key", ssoEnv(nil), nil,
			"needs a respondent key: give --respondent-key-file or SKILLSURVEY_RESPONDENT_KEY, at least 32 random bytes"},
		{"a respondent key too short", ssoEnv(env{"SKILLSURVEY_RESPONDENT_KEY": strings.Repeat("k", 31)}), nil,
			"the respondent key has 31 bytes; give at least 32"},
		{"a respondent key of spaces", ssoEnv(env{"SKILLSURVEY_RESPONDENT_KEY": strings.Repeat(" ", 40)}), nil, "needs a respondent key"},
		{"a respondent key without single sign-on", env{"SKILLSURVEY_RESPONDENT_KEY": strings.Repeat("k", 40)}, nil,
			"a respondent key is given, but single sign-on is not configured"},
		{"a respondent key both ways", ssoEnv(env{"SKILLSURVEY_RESPONDENT_KEY": strings.Repeat("k", 40)}),
			[]string{"--respondent-key-file", "serve_access_test.go"}, "give the respondent key one way"},
		{"a respondent key file that is not there", ssoEnv(nil), []string{"--respondent-key-file", "/nonexistent/key"},
			"--respondent-key-file: open /nonexistent/key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "test.db")
			r := runCLI(t, tc.env, append([]string{"serve", "--database", db}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.inStderr) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tc.inStderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q: the service must not start", r.stdout)
			}
			assertNoFile(t, db)
		})
	}
}

func TestAccessSettingsReachTheRouter(t *testing.T) {
	t.Parallel()
	a := Access{PublicURL: "https://skills.example.gov.uk", TrustedProxies: "10.0.0.0/8", LimitSignIn: "5/1m", LimitRequests: "300/1m"}
	a.defaults()
	cfg, err := a.check("0.0.0.0:8080")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Hosts) != 1 || cfg.Hosts[0] != "skills.example.gov.uk" || len(cfg.Proxies) != 1 {
		t.Errorf("hosts %v, proxies %v", cfg.Hosts, cfg.Proxies)
	}
	if cfg.Limits.SignIn.Burst != 5 || cfg.Limits.SignIn.Every.Seconds() != 12 || cfg.Limits.Submissions.Burst != 1200 ||
		cfg.Limits.Requests.Burst != 300 || cfg.Limits.Requests.Every != 200*time.Millisecond {
		t.Errorf("limits %+v", cfg.Limits)
	}
	if cfg.Idle.Minutes() != 30 || cfg.MaxSession.Hours() != 12 {
		t.Errorf("sessions %s, %s", cfg.Idle, cfg.MaxSession)
	}
	withSSO := Access{OIDC: access.SSOConfig{Issuer: "https://login.example.com", ClientID: "x", ClientSecret: "s",
		RedirectURL: "https://skills.example.gov.uk/sign-in/callback"}, OIDCRules: "admins=admin", RespondentKey: strings.Repeat("k", 32)}
	withSSO.defaults()
	if cfg, err := withSSO.check("127.0.0.1:8080"); err != nil || cfg.Passes == nil {
		t.Errorf("with single sign-on and a respondent key: passes %v, %v", cfg.Passes, err)
	}
	var d Access
	d.defaults()
	if d.LimitRequests != "6000/1m" {
		t.Errorf("the request limit defaults to %q, want 6000/1m", d.LimitRequests)
	}
}

// TestSingleSignOnProblemsNameTheFlags: single sign-on's problems are named by the flag (or, for
// the secret, the variable) that fixes them, and a bad --oidc-roles is named once.
func TestSingleSignOnProblemsNameTheFlags(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "test.db")
	r := runCLI(t, env{"SKILLSURVEY_OIDC_ISSUER": "http://login.example.com"}, "serve", "--database", db, "--oidc-roles", "a=root")
	for _, want := range []string{"--oidc-roles: claim rule 1", "--oidc-issuer: \"http://login.example.com\": use https",
		"--oidc-client-id: give", "SKILLSURVEY_OIDC_CLIENT_SECRET: give", "--oidc-redirect-url:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "give at least one") {
		t.Errorf("the roles were named twice:\n%s", r.stderr)
	}
	assertNoFile(t, db)
}

// TestWaveCreateModeFollowsSignIn: wave create reads single sign-on from the environment as serve
// does: a wave is verified by default where it is configured with its respondent key, invite
// where not, and verified is refused where respondents could not sign in.
func TestWaveCreateModeFollowsSignIn(t *testing.T) {
	t.Parallel()
	defs := testDefinitions(t)
	withKey := ssoEnv(env{"SKILLSURVEY_RESPONDENT_KEY": strings.Repeat("k", 40)})
	for _, tc := range []struct {
		name     string
		env      env
		mode     []string
		code     int
		inStdout []string
		inStderr []string
	}{
		{"default with single sign-on", withKey, nil, 0, []string{"verified mode"}, nil},
		{"default without", env{}, nil, 0, []string{"invite mode"}, nil},
		{"verified with single sign-on", withKey, []string{"--mode", "verified"}, 0, []string{"verified mode"}, nil},
		{"open when asked", withKey, []string{"--mode", "open"}, 0, []string{"open mode"}, nil},
		{"verified without", env{}, []string{"--mode", "verified"}, 1, nil, []string{"--mode: verified needs respondents to sign in with single sign-on"}},
		{"verified in capitals", withKey, []string{"--mode", "VERIFIED"}, 1, nil, []string{"--mode: use invite"}},
		{"single sign-on without its key", ssoEnv(nil), nil, 1, nil, []string{"needs a respondent key"}},
		{"single sign-on half set", env{"SKILLSURVEY_OIDC_ISSUER": "https://login.example.com"}, nil, 1, nil, []string{"SKILLSURVEY_OIDC_CLIENT_SECRET"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "test.db")
			args := append([]string{"wave", "create", "--database", db, "--definitions", defs, "--survey", "small", "--key", "w1"}, tc.mode...)
			runCLI(t, tc.env, args...).want(t, tc.code, tc.inStdout, tc.inStderr)
			if tc.code != 0 {
				assertNoFile(t, db)
			}
		})
	}
}
