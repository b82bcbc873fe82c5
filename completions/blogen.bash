# bash completion for blogen. Candidates come from the binary itself (`blogen __complete`), so they always
# match the installed version's commands, options and the values it knows for them (tones, statuses, formats,
# platforms, provider and job kinds). Only file names are completed here.
# Install: /usr/share/bash-completion/completions/blogen
_blogen() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local previous=${COMP_WORDS[COMP_CWORD-1]}
  case $previous in
    --db | --file | --content-file | --out | --topics-file)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac
  local IFS=$'\n'
  local candidates
  candidates=$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
}
complete -F _blogen blogen
