package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// runTUI starts the interactive interface on a terminal.
func (a *app) runTUI(cmd *cobra.Command) error {
	fmt.Fprintln(a.stderr, a.L().T("msg.tui.unavailable"))
	return cmd.Help()
}
