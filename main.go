// Command rolo is a terminal CRM. See README.md and docs/.
package main

import (
	"os"

	"github.com/rolo-crm/rolo/cli"
)

func main() { os.Exit(cli.Main()) }
