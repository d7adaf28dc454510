#!/bin/sh
#SBATCH -N 2 -n4 # two nodes
#SBATCH -J "my job" --comment=it\'s
  #SBATCH -p indented
##SBATCH -p off
#SBATCH --signal=B:USR1@90 --exclusive=user -a 1-10:2%3
#SBATCH -d afterok:42:43_2?after:7+5
true
#SBATCH -p never
