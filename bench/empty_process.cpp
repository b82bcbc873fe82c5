// The floor of a whole-process read (#18): a program that loads the libraries blogen links (libstdc++, SQLite,
// libsodium) and does nothing else. bench/run.sh times it next to `sqlite3` running
// `blog show`'s query: what is left of the 1.3 x budget after it is what blogen's own start-up, store, session and
// printing may take.
int main() { return 0; }
