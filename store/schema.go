package store

// Bucket names. They are part of the file format.
var (
	bMeta       = []byte("meta")
	bContacts   = []byte("contacts")
	bCompanies  = []byte("companies")
	bDeals      = []byte("deals")
	bTasks      = []byte("tasks")
	bActivities = []byte("activities")
	bChanges    = []byte("changes")
	bTombstones = []byte("tombstones")

	// Secondary indexes. Keys end in the record id; values are empty unless
	// noted.
	ixEmail           = []byte("ix_email")            // email 0 contact
	ixPhone           = []byte("ix_phone")            // phone digits 0 contact
	ixTag             = []byte("ix_tag")              // entity, folded tag 0 id
	ixContactName     = []byte("ix_contact_name")     // sort key 0 contact
	ixCompanyName     = []byte("ix_company_name")     // sort key 0 company
	ixCompanyContacts = []byte("ix_company_contacts") // company, contact
	ixContactDeals    = []byte("ix_contact_deals")    // contact, deal
	ixCompanyDeals    = []byte("ix_company_deals")    // company, deal
	ixDealStage       = []byte("ix_deal_stage")       // stage 0 deal
	ixContactTasks    = []byte("ix_contact_tasks")    // contact, task
	ixDealTasks       = []byte("ix_deal_tasks")       // deal, task
	ixOpenTasks       = []byte("ix_open_tasks")       // due key, task
	ixContactActs     = []byte("ix_contact_acts")     // contact, at, activity
	ixDealActs        = []byte("ix_deal_acts")        // deal, at, activity
	ixCompanyActs     = []byte("ix_company_acts")     // company, at, activity
	sxContacts        = []byte("sx_contacts")         // contact -> sort key 0x1e haystack
	sxCompanies       = []byte("sx_companies")        // company -> sort key 0x1e haystack
)

// indexBuckets lists every bucket that Reindex rebuilds from the records.
var indexBuckets = [][]byte{
	ixEmail, ixPhone, ixTag, ixContactName, ixCompanyName, ixCompanyContacts,
	ixContactDeals, ixCompanyDeals, ixDealStage, ixContactTasks, ixDealTasks,
	ixOpenTasks, ixContactActs, ixDealActs, ixCompanyActs, sxContacts, sxCompanies,
}

// recordBuckets lists the record buckets.
var recordBuckets = [][]byte{bContacts, bCompanies, bDeals, bTasks, bActivities}

// Meta keys.
var (
	mSchema  = []byte("schema_version")
	mReplica = []byte("replica")
	mClock   = []byte("hlc")
	mCreated = []byte("created_at")
	// mIndexing, when present, says that records were committed without
	// all their index entries (a Loader had not finished): the indexes are
	// rebuilt from the records before the file is used.
	mIndexing = []byte("indexing")
)

// SchemaVersion is the layout this build reads and writes. Version 1 files
// hold records and the change log only; version 2 added the secondary
// indexes, built by the migration from 1; version 3 puts the spellings of
// less likely pinyin readings at the end of each search entry, after
// model.AltMarker, so that they rank after the likely ones.
const SchemaVersion = 3
