package survey

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in a definition file, at a line.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is every problem found in one or more definition files; it is an error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	return ps
}

// Pos records where an element of a definition was written, so problems can name the line.
type Pos struct {
	Line int
	keys map[string]int
}

// At is the line of the element's key, or of the element itself when the key is absent.
func (p Pos) At(key string) int {
	if l, ok := p.keys[key]; ok {
		return l
	}
	return p.Line
}
