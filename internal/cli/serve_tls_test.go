package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns their paths and a pool
// that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// serving is the service running in a test (launch).
type serving struct {
	addr           string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan error
}

// launch runs the service on cfg and waits, a minute at most, until it listens.
func launch(t *testing.T, cfg Config) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sv := &serving{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() { sv.done <- run(ctx, &call{env: env{}.get, stdout: sv.stdout, stderr: sv.stderr}, cfg) }()
	running := regexp.MustCompile(`running at https?://(127\.0\.0\.1:[0-9]+)/`)
	deadline := time.Now().Add(time.Minute)
	for {
		if m := running.FindStringSubmatch(sv.stdout.String()); m != nil {
			sv.addr = m[1]
			return sv
		}
		select {
		case err := <-sv.done:
			cancel()
			t.Fatalf("run returned before listening: %v\nstdout: %s\nstderr: %s", err, sv.stdout.String(), sv.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the service did not start in a minute: %q", sv.stdout.String())
		}
	}
}

// stop ends the service and returns what run returned.
func (sv *serving) stop() error {
	sv.cancel()
	return <-sv.done
}

// startServe runs the service until the test ends and returns its address.
func startServe(t *testing.T, cfg Config) (addr string, stdout *syncBuffer) {
	t.Helper()
	sv := launch(t, cfg)
	t.Cleanup(func() {
		if err := sv.stop(); err != nil {
			t.Errorf("run = %v", err)
		}
	})
	return sv.addr, sv.stdout
}

// TestServeTLS: with a certificate the service answers HTTPS only, with HSTS and __Host- cookies.
func TestServeTLS(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSigned(t)
	cfg := Config{Database: filepath.Join(t.TempDir(), "tls.db"), Definitions: shippedDefinitions, Listen: "127.0.0.1:0",
		Access: Access{TLSCert: certFile, TLSKey: keyFile}}
	addr, stdout := startServe(t, cfg)
	if !strings.Contains(stdout.String(), "running at https://") || !strings.Contains(stdout.String(), "No one can sign in yet") {
		t.Errorf("start-up lines: %q", stdout.String())
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	res, err := client.Get("https://" + addr + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("GET /sign-in over TLS: %d, HSTS %q", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	var form *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "__Host-skillsurvey-form" {
			form = c
		}
	}
	if form == nil || !form.Secure || !form.HttpOnly || form.Path != "/" {
		t.Errorf("the form cookie over TLS: %+v, want __Host-, Secure, HttpOnly, Path=/", form)
	}
	plain := &http.Client{Timeout: 5 * time.Second}
	if res, err := plain.Get("http://" + addr + "/sign-in"); err == nil {
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Error("plain HTTP was answered on the HTTPS port")
		}
	}
}

// TestServeCapsConnections: beyond --max-connections, a new connection waits until one closes.
func TestServeCapsConnections(t *testing.T) {
	t.Parallel()
	cfg := Config{Database: filepath.Join(t.TempDir(), "cap.db"), Definitions: shippedDefinitions, Listen: "127.0.0.1:0",
		Access: Access{MaxConnections: 1}}
	addr, _ := startServe(t, cfg)
	held, err := net.Dial("tcp", addr) // an idle client holding the only place
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept it
	quick := &http.Client{Timeout: 500 * time.Millisecond}
	if res, err := quick.Get("http://" + addr + "/healthz"); err == nil {
		res.Body.Close()
		t.Fatal("a second connection was served beside the held one")
	}
	held.Close()
	patient := &http.Client{Timeout: 5 * time.Second}
	res, err := patient.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("after the held connection closed: %v", err)
	}
	res.Body.Close()
	patient.CloseIdleConnections()
	quick.CloseIdleConnections()
}
