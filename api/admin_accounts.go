package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillsurvey/internal/access"
	"skillsurvey/internal/store"
)

// userJSON is an account as administrators see it: never its password hash.
type userJSON struct {
	Email     string  `json:"email"`
	Role      string  `json:"role"`
	Scope     *string `json:"scope"`
	Comments  bool    `json:"comments"`
	Source    string  `json:"source"`
	CreatedOn string  `json:"created_on"`
}

func toUserJSON(u store.User) userJSON {
	out := userJSON{Email: u.Email, Role: u.Role, Comments: u.Comments, Source: u.Source, CreatedOn: u.CreatedAt.UTC().Format(time.DateOnly)}
	if u.ScopeTeam != nil {
		out.Scope = &u.ScopeTeam.Key
	}
	return out
}

// users answers GET /users.
func (h *adminHandlers) users(c *gin.Context) {
	all, err := h.accounts.People(c.Request.Context())
	if err != nil {
		respondError(c, err)
		return
	}
	out := make([]userJSON, len(all))
	for i, u := range all {
		out[i] = toUserJSON(u)
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}

// newUserJSON is the body of POST /users.
type newUserJSON struct {
	Email    string `json:"email" validate:"required,max=254"`
	Role     string `json:"role" validate:"required,oneof=admin lead hr"`
	Scope    string `json:"scope" validate:"max=64"`
	Comments bool   `json:"comments"`
	Password string `json:"password" validate:"max=256"`
}

// addUser answers POST /users: the account, and its generated password when none was given,
// shown this once.
func (h *adminHandlers) addUser(c *gin.Context) {
	var body newUserJSON
	if err := bindJSON(c, &body); err != nil {
		respondError(c, err)
		return
	}
	u, generated, err := h.accounts.AddPerson(c.Request.Context(), actor(c), access.NewPerson{Email: body.Email,
		Role: access.Role(body.Role), Scope: body.Scope, Comments: body.Comments, Password: body.Password})
	switch {
	case errors.Is(err, store.ErrLimit):
		err = newError(http.StatusConflict, "conflict", fmt.Sprintf("there are already %d accounts, the most a service keeps", store.MaxUsers))
	case errors.Is(err, store.ErrConflict):
		err = newError(http.StatusConflict, "conflict", "there is already an account with this email address")
	}
	if err != nil {
		respondError(c, asInvalid(err))
		return
	}
	var password *string
	if generated != "" {
		password = &generated
	}
	c.JSON(http.StatusCreated, gin.H{"user": toUserJSON(u), "password": password})
}

// removeUser answers DELETE /users/{email}: the account goes, and with it every session it had.
func (h *adminHandlers) removeUser(c *gin.Context) {
	err := h.accounts.RemovePerson(c.Request.Context(), actor(c), c.Param("email"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = newError(http.StatusNotFound, "user_not_found", "there is no account with this email address")
	case errors.Is(err, store.ErrConflict):
		err = newError(http.StatusConflict, "conflict", "nobody removes their own account; ask another admin")
	}
	if err != nil {
		respondError(c, asInvalid(err))
		return
	}
	c.Status(http.StatusNoContent)
}

// tokenJSON is a token's details: never the token.
type tokenJSON struct {
	Name       string  `json:"name"`
	Role       string  `json:"role"`
	Scope      *string `json:"scope"`
	Comments   bool    `json:"comments"`
	CreatedOn  string  `json:"created_on"`
	ExpiresOn  *string `json:"expires_on"`
	LastUsedOn *string `json:"last_used_on"`
	Revoked    bool    `json:"revoked"`
}

func toTokenJSON(t store.APIToken) tokenJSON {
	out := tokenJSON{Name: t.Name, Role: t.Role, Comments: t.Comments, CreatedOn: t.CreatedAt.UTC().Format(time.DateOnly),
		Revoked: t.RevokedAt != nil}
	if t.ScopeTeam != nil {
		out.Scope = &t.ScopeTeam.Key
	}
	if t.ExpiresAt != nil {
		day := t.ExpiresAt.UTC().Format(time.DateOnly)
		out.ExpiresOn = &day
	}
	if t.LastUsedOn != "" {
		out.LastUsedOn = &t.LastUsedOn
	}
	return out
}

// tokens answers GET /tokens.
func (h *adminHandlers) tokens(c *gin.Context) {
	all, err := h.accounts.Tokens(c.Request.Context())
	if err != nil {
		respondError(c, err)
		return
	}
	out := make([]tokenJSON, len(all))
	for i, t := range all {
		out[i] = toTokenJSON(t)
	}
	c.JSON(http.StatusOK, gin.H{"tokens": out})
}

// newTokenJSON is the body of POST /tokens.
type newTokenJSON struct {
	Name     string `json:"name" validate:"required,max=100"`
	Role     string `json:"role" validate:"required,oneof=admin lead hr"`
	Scope    string `json:"scope" validate:"max=64"`
	Comments bool   `json:"comments"`
	Expires  string `json:"expires" validate:"max=10"`
}

// createToken answers POST /tokens: the token, shown this once, and its details.
func (h *adminHandlers) createToken(c *gin.Context) {
	var body newTokenJSON
	if err := bindJSON(c, &body); err != nil {
		respondError(c, err)
		return
	}
	if body.Expires == "" {
		body.Expires = access.DefaultExpiry
	}
	expires, err := access.ParseExpiry(body.Expires)
	if err != nil {
		respondError(c, asInvalid(err))
		return
	}
	t, token, err := h.accounts.CreateToken(c.Request.Context(), actor(c), access.TokenRequest{Name: body.Name,
		Role: access.Role(body.Role), Scope: body.Scope, Comments: body.Comments, Expires: expires})
	switch {
	case errors.Is(err, store.ErrLimit):
		err = newError(http.StatusConflict, "conflict", fmt.Sprintf("there are already %d tokens, revoked ones included, the most a service keeps", store.MaxTokens))
	case errors.Is(err, store.ErrConflict):
		err = newError(http.StatusConflict, "conflict", "there is already a token with this name")
	}
	if err != nil {
		respondError(c, asInvalid(err))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": token, "details": toTokenJSON(t)})
}

// revokeToken answers DELETE /tokens/{name}.
func (h *adminHandlers) revokeToken(c *gin.Context) {
	err := h.accounts.RevokeToken(c.Request.Context(), actor(c), c.Param("name"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = newError(http.StatusNotFound, "token_not_found", "there is no token with this name")
	case errors.Is(err, store.ErrConflict):
		err = newError(http.StatusConflict, "conflict", "this token is already revoked")
	}
	if err != nil {
		respondError(c, asInvalid(err))
		return
	}
	c.Status(http.StatusNoContent)
}
