from hairlink.entry import main

main()
