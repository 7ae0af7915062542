from tfprep.launch import main

main()
