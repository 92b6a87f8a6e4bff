package model

import "slices"

// The customer lifecycle stages, in order. insight derives a contact's
// stage from its deals and activities; Contact.Lifecycle pins one by hand.
const (
	LifecycleLead        = "lead"
	LifecycleExploration = "exploration" // 考察期: engaged, nothing won yet
	LifecycleFormation   = "formation"   // 形成期: first purchase recently
	LifecycleStability   = "stability"   // 稳定期: repeat purchases, recent contact
	LifecycleDecline     = "decline"     // 退化期: overdue, going quiet, or complaints open
	LifecycleChurned     = "churned"
)

// LifecycleStages lists every lifecycle stage in order.
var LifecycleStages = []string{
	LifecycleLead, LifecycleExploration, LifecycleFormation,
	LifecycleStability, LifecycleDecline, LifecycleChurned,
}

// IsLifecycleStage reports whether s names a lifecycle stage.
func IsLifecycleStage(s string) bool { return slices.Contains(LifecycleStages, s) }
