// The floor of a whole-process read (#18): a program linked like blogen that does nothing. In an optimised build
// that is libc, libm and libgcc_s (libstdc++, SQLite and libsodium are linked statically, so nothing of them is
// loaded here); in others, the shared libstdc++, SQLite and libsodium too. bench/run.sh times it next to `sqlite3`
// running `blog show`'s query: what is left of the 1.3 x budget after it is what blogen's own start-up, store,
// session and printing may take.
int main() { return 0; }
