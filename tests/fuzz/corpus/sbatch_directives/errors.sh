#!/bin/sh
#SBATCH --mem=1G
#SBATCH --mem-per-cpu=2G
#SBATCH -t notatime
