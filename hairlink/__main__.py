from hairlink.cli import main

main()
