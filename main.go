// Command skillsurvey runs a department's digital skills and maturity survey.
package main

import (
	"os"

	"skillsurvey/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
