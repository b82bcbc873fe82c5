# bash completion for blogen. Candidates come from the binary itself (`blogen __complete`), so they always
# match the installed version's commands, options and the values it knows for them: tones, statuses, formats,
# platforms, time zones, and from your store your post, campaign, batch, job and schedule ids, templates and
# providers. Only file names are completed here.
# Install: /usr/share/bash-completion/completions/blogen, or: source <(blogen completion bash)
_blogen() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local previous=${COMP_WORDS[COMP_CWORD-1]}
  case $previous in
    --db | --file | --content-file | --out | --topics-file)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac
  # Each candidate line is "word" or "word<TAB>description"; bash shows words only.
  local IFS=$'\n' line
  local -a words=()
  while IFS= read -r line; do
    words+=("${line%%$'\t'*}")
  done < <("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "${words[*]}" -- "$cur"))
}
complete -F _blogen blogen
