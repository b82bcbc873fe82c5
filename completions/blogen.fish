# fish completion for blogen. Candidates, with their descriptions, come from the binary itself
# (`blogen __complete`), so they always match the installed version: commands, options, known values, and from
# your store your post, campaign, batch, job and schedule ids, templates and providers.
# Install: /usr/share/fish/vendor_completions.d/blogen.fish, or: blogen completion fish | source
function __blogen_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    switch "$tokens[-1]"
        case --db --file --content-file --out --topics-file
            __fish_complete_path "$current"
            return
    end
    # "word<TAB>description" lines are what fish takes as they are.
    $tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null
end
complete --command blogen --no-files --arguments '(__blogen_complete)'
