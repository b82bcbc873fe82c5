#include <blogen/cli/run.hpp>

int main(int argc, char** argv) { return blogen::cli::run(argc, argv); }
