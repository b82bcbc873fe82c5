# bash completion for blogen. Candidates come from the binary itself (`blogen __complete`), so they always
# match the installed version's commands, options and the values it knows for them (provider kinds, job kinds).
# Install: /usr/share/bash-completion/completions/blogen
_blogen() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local previous=${COMP_WORDS[COMP_CWORD-1]}
  case $previous in
    --db | --file | --content-file | --out | --topics-file)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --format) COMPREPLY=($(compgen -W "text markdown html json csv" -- "$cur")); return ;;
    --front-matter) COMPREPLY=($(compgen -W "hugo jekyll none" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --platform) COMPREPLY=($(compgen -W "twitter linkedin instagram generic" -- "$cur")); return ;;
    --tone) COMPREPLY=($(compgen -W "friendly casual professional humorous enthusiastic formal informative persuasive" -- "$cur")); return ;;
    --status) COMPREPLY=($(compgen -W "draft pending in_progress completed failed cancelled" -- "$cur")); return ;;
    --sort) COMPREPLY=($(compgen -W "created -created updated title" -- "$cur")); return ;;
  esac
  local IFS=$'\n'
  local candidates
  candidates=$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
}
complete -F _blogen blogen
