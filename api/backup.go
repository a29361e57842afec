package api

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// mediaSQLite is a SQLite database file's media type.
const mediaSQLite = "application/vnd.sqlite3"

// backupStore is what a backup needs from storage.
type backupStore interface {
	Backup(ctx context.Context, dest string) error
	Audit(ctx context.Context, e store.NewAuditEvent) error
}

// backup answers GET /api/v1/backup: a checked copy of the database (store.Backup), taken while
// submissions go on, as a download for an admin. It holds no answer that names anyone, but it does
// hold every account's password hash and the audit log: it is recorded there, and is for admins only.
func backup(s backupStore, now func() string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		dir, err := os.MkdirTemp("", "skillsurvey-backup-")
		if err != nil {
			respondError(c, err)
			return
		}
		defer os.RemoveAll(dir)
		name := "skillsurvey-" + now() + ".db"
		path := filepath.Join(dir, name)
		err = s.Backup(ctx, path)
		if errors.Is(err, store.ErrBackupUnsupported) {
			err = newError(http.StatusConflict, "backup_unsupported", err.Error())
		}
		if err == nil {
			err = s.Audit(ctx, store.NewAuditEvent{Actor: principal(c).Actor(), Action: access.ActionBackup,
				Target: name, Address: clientAddress(c)})
		}
		if err != nil {
			respondError(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Header("Content-Type", mediaSQLite)
		c.FileAttachment(path, name)
	}
}
