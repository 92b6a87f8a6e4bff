package i18n

func init() { add(English, enSetup) }

// enSetup holds the messages of the first run, rolo init and the
// environment checks of rolo doctor.
var enSetup = map[string]string{
	"firstrun.welcome": `Welcome to rolo.

Your contacts, deals and follow-ups will live in one file that you own:
  %s
Your settings:
  %s %s
Copy it any time with "rolo backup FILE"; --db or $ROLO_DB picks another file.

`,
	"firstrun.config.new":   "(written when you start, every setting commented)",
	"firstrun.config.kept":  "(yours, kept as it is)",
	"firstrun.menu":         "How would you like to start?\n  [d] demo     explore a database of sample contacts, deals and follow-ups\n  [i] import   bring in a CSV, vCard or rolo JSON file (i FILE)\n  [e] empty    start with an empty database\n  [q] quit     leave without creating anything\n> ",
	"firstrun.again":        "[d]emo, [i]mport FILE, [e]mpty or [q]uit? ",
	"firstrun.unknown":      "%q is not one of d, i, e or q.",
	"firstrun.failed":       "That did not work: %v",
	"firstrun.demo":         "Opening the demo. Your own database (%s) is not created yet: run rolo again to start it; rolo --db %s reopens the demo.",
	"firstrun.empty":        "Created an empty database at %s.",
	"firstrun.import.ask":   "File to import: ",
	"init.written":          "Wrote %s: every setting is there with its default, commented out.",
	"init.exists":           "%s exists; --force replaces it (the old file is kept as .bak)",
	"init.database":         "The database will be %s.",
	"doctor.config.missing": "config: no %s: the defaults apply (rolo init writes a commented one)",
	"doctor.config.named":   "config: %s does not exist",
	"doctor.config.warning": "config: %s",
	"doctor.config.error":   "config: %v",
	"doctor.term.none":      "terminal: stdout is not a terminal: rolo without arguments prints help instead of opening the interface",
	"doctor.term.dumb":      "terminal: TERM is %q: the interface needs a terminal that can move the cursor (xterm-256color, screen, tmux...)",
	"doctor.term.colours":   "terminal: colours: %s",
	"doctor.term.nocolor":   "terminal: colours are off: NO_COLOR is set",
	"doctor.term.small":     "terminal: %d×%d is small: the interface wants at least %d×%d",
	"doctor.term.utf8":      "terminal: the locale (%s) is not UTF-8: Chinese names and the interface's lines may not show",
	"doctor.sync.off":       "sync: no team server set up (rolo sync login, or [sync] server in config.toml): this database is local only",
	"doctor.sync.notoken":   "sync: no token for %s: run rolo sync login --server %[1]s --token TOKEN",
	"doctor.sync.bad":       "sync: %v",
	"doctor.sync.plain":     "sync: %s is plain HTTP to another machine: the token and your data cross the network unencrypted (use https://)",
	"doctor.sync.interval":  "sync: interval %s is very short: every sync is a round trip to the server",
	"doctor.sync.ok":        "sync: server %s, every %s",
}
