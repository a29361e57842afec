package crash

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the server when the process that started it ends, so a test
// that times out or panics (and so runs no deferred code) leaves no server holding the database.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
