// placeholder: the items benchmark is being written\nexport {};
