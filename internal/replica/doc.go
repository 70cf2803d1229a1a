// Package replica is one journal across a user's machines: each machine
// publishes its own journal into a folder an existing replicator
// (Syncthing, or any folder sync) keeps the same on every machine, and
// reads the other machines' parts from it. Each machine writes only its
// own part, so there is nothing to merge and no conflict to resolve.
//
// The shared folder:
//
//	<dir>/machines/<machine-id>/      one machine's part (its id: machine.json's)
//	    manifest.json                 format, id, name, sess version, when last published, projects' git remotes
//	    config.json                   the store's files, as they are in the store
//	    sessions/<id>.json
//	    sessions/_index.json
//	    sessions/archive/<id>.json
//	    projects/<slug>.json
//
// A part is a store folder: another machine opens it as a read-only store
// (store.Options.ReadOnly), with every check a store read makes (no
// symlink, FIFO or device, nothing too large, a corrupt file skipped with
// a warning). What the replicator leaves on the way (its temporary files,
// conflict copies, a part without its manifest yet, a file cut short) is
// skipped as a store skips a bad file; a part of a newer format is left
// out with a warning, one silent for a week is shown as stale.
//
// Publishing copies what changed, file by file, each through a temporary
// file renamed into place (its name starts with a dot, as the
// replicators' own temporary files do, and readers pass over it), the
// manifest last. The hooks never publish: sess-manage sync does, once or
// watching the store, and sess-serve does while it runs.
package replica
