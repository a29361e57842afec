// Package definitions embeds the shipped survey definitions, so the binary runs without the folder.
package definitions

import "embed"

// Files holds every shipped definition (*.yaml) at its top level.
//
//go:embed *.yaml
var Files embed.FS
