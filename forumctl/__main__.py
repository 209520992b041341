from forumctl.cli.main import main

main()
